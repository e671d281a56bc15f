// RUN: not tflc-opt %s -p tf-executor-to-functional 2>&1 | filecheck %s

// A session initializer that runs ops (tables, assets) is reported, not dropped.

// CHECK: session initializer @init runs 1 op(s)
module attributes {tf_saved_model.semantics} {
  "tf_saved_model.session_initializer"() <{initializers = [@init]}> : () -> ()
  "tf_saved_model.asset"() <{filename = "assets/vocab.txt", sym_name = "__tf_saved_model_asset0_vocab.txt"}> : () -> ()
  func.func @init(%arg0: tensor<!tf_type.string> {tf_saved_model.bound_input = @"__tf_saved_model_asset0_vocab.txt"}) attributes {tf_saved_model.exported_names = ["__tf_saved_model_session_initializer_init"], tf_saved_model.initializer_type = "init_op"} {
    "tf.Placeholder"() : () -> tensor<!tf_type.resource>
    return
  }
}
