module attributes {tf_saved_model.semantics, tfl.description = "tflc", tfl.metadata = {CONVERSION_METADATA = "\0C\00\00\00\08\00\0C\00\08\00\04\00\08\00\00\00\0C\00\00\00\18\00\00\00\04\00\04\00\04\00\00\00\0C\00\1C\00\18\00\14\00\10\00\04\00\0C\00\00\00\81\0D\7Fx\9A\D0\17\C8\00\00\00\00\01\00\00\00\02\00\00\00\04\00\00\00\0A\00\00\00tflc 0.1.0\00\00", min_runtime_version = "1.14.0\00\00\00\00\00\00\00\00\00\00"}, tfl.schema_version = 3 : i32} {
  func.func @serving_default(%arg0: tensor<2x6x3xf32> {tf_saved_model.index_path = ["x"]}) -> (tensor<2x3xf32> {tf_saved_model.index_path = [none]}) attributes {tf.entry_function = {inputs = "x", outputs = "y0"}, tf_saved_model.exported_names = ["serving_default"]} {
    %0 = "tfl.pseudo_const"() <{value = dense<[[0.137570441, -0.100894719, 0.395661533], [0.436617494, 0.0209008455, -0.212921292], [0.493088782, -0.515510917, 5.484100e-01], [0.373862386, 0.225998938, -0.497579336]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
    %1 = "tfl.pseudo_const"() <{value = dense<[[-0.339211345, 0.372751653, -0.13179943], [0.00103765726, 0.439840376, 0.17583102], [-0.147798866, 0.0770991445, 0.326571703], [-0.264831722, -0.306852549, 0.439714134]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
    %2 = "tfl.pseudo_const"() <{value = dense<[[-0.537530601, -0.258956581, 0.438000441], [-0.0369728804, -0.403851688, -0.416318238], [0.144364297, -0.391842842, 0.325511217], [0.00376844406, 0.107738137, 0.210615098]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
    %3 = "tfl.pseudo_const"() <{value = dense<[[0.342537224, 0.152910352, 0.502616465], [-0.335989386, -0.401503861, -0.0771712065], [-0.521958232, -0.0235906243, -0.341387153], [0.272299469, -0.103802502, 0.470370948]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
    %4 = "tfl.pseudo_const"() <{value = dense<[[-0.259415865, 0.0161159616, -0.167719156, -0.470604062], [0.135667592, 0.225295886, 0.204665288, 0.118001074], [0.0209820606, -0.407609046, -0.288912416, -0.146308884], [0.617852271, 0.127708241, 0.362203449, -0.419092447]]> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
    %5 = "tfl.pseudo_const"() <{value = dense<[[2.729230e-02, 0.362974972, 0.19423905, 0.132703751], [-0.0503267422, -0.00593254063, -0.0646321923, -0.054158967], [0.452130586, -0.231921807, -0.422406763, 0.0540044606], [-0.0646656454, -0.305320889, 0.14375028, -0.188101843]]> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
    %6 = "tfl.pseudo_const"() <{value = dense<[[0.463373244, 0.103186086, -0.210763454, 0.120431282], [0.0735965446, -0.220024183, 0.259677798, 0.0251687542], [-0.0653940588, 0.282158673, -0.286439627, 0.104609653], [-0.045931004, 0.468835533, -0.243444249, -0.428979039]]> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
    %7 = "tfl.pseudo_const"() <{value = dense<[[0.0194808599, -0.326757371, 0.318744779, -0.16971527], [0.270395488, -0.000424100086, -0.0784099847, 0.26143226], [-0.142200813, 0.047378052, 0.23368597, 0.402645797], [0.001718416, -0.142265245, -0.242488503, 0.198352501]]> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
    %8 = "tfl.no_value"() <{value}> : () -> none
    %9 = "tfl.no_value"() <{value}> : () -> none
    %10 = "tfl.no_value"() <{value}> : () -> none
    %11 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<4xf32>}> : () -> tensor<4xf32>
    %12 = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<4xf32>}> : () -> tensor<4xf32>
    %13 = "tfl.no_value"() <{value}> : () -> none
    %14 = "tfl.no_value"() <{value}> : () -> none
    %15 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2x4xf32>}> : () -> tensor<2x4xf32>
    %16 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2x4xf32>}> : () -> tensor<2x4xf32>
    %17 = "tfl.no_value"() <{value}> : () -> none
    %18 = "tfl.no_value"() <{value}> : () -> none
    %19 = "tfl.no_value"() <{value}> : () -> none
    %20 = "tfl.no_value"() <{value}> : () -> none
    %21 = "tfl.unidirectional_sequence_lstm"(%arg0, %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %11, %11, %13, %14, %15, %16, %17, %18, %19, %20) <{fused_activation_function = "TANH", time_major = false}> : (tensor<2x6x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, none, none, none, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, none, none, tensor<2x4xf32>, tensor<2x4xf32>, none, none, none, none) -> tensor<2x6x4xf32>
    %22 = "tfl.pseudo_const"() <{value = dense<1> : tensor<1xi32>}> : () -> tensor<1xi32>
    %23 = "tfl.reverse_v2"(%21, %22) : (tensor<2x6x4xf32>, tensor<1xi32>) -> tensor<2x6x4xf32>
    %24 = "tfl.pseudo_const"() <{value = dense<[[0.224700332, -0.111587107, -0.54389596, -0.48541221], [-0.330286741, -0.135445088, -0.129425347, -0.509734809], [0.111300945, -0.327269793, 0.53029865, -7.626170e-02]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    %25 = "tfl.pseudo_const"() <{value = dense<[[0.512434661, 0.436914146, -0.274021178, 0.53717345], [0.360452294, -5.690630e-01, -0.586823165, 0.563945115], [-0.196876615, -0.204380035, 0.268505156, -0.527181327]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    %26 = "tfl.pseudo_const"() <{value = dense<[[0.0578579903, 0.364891887, -0.295838714, 0.157004356], [0.458047569, 0.384588301, -0.597568274, 0.329178154], [-0.140674859, 0.336485386, 0.563465297, 0.530380189]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    %27 = "tfl.pseudo_const"() <{value = dense<[[-0.256783456, -0.566365659, -0.568370521, -0.278895736], [-0.0876125693, 0.262304485, 0.278743327, 0.0275172591], [0.265831113, 0.0700063109, 0.32499361, 0.568010032]]> : tensor<3x4xf32>}> : () -> tensor<3x4xf32>
    %28 = "tfl.pseudo_const"() <{value = dense<[[-4.006170e-01, -0.0780122876, -0.047485102], [0.492887527, 0.111302532, -0.228042096], [-0.0277149044, 0.253246635, 0.652319133]]> : tensor<3x3xf32>}> : () -> tensor<3x3xf32>
    %29 = "tfl.pseudo_const"() <{value = dense<[[0.307065189, 0.286801726, -0.206993729], [0.0546439551, -0.370845437, 0.11939764], [-0.222652748, -0.114388891, -0.0320599861]]> : tensor<3x3xf32>}> : () -> tensor<3x3xf32>
    %30 = "tfl.pseudo_const"() <{value = dense<[[0.090807274, -0.414015889, 0.197505057], [-0.279437482, -0.00503888447, 0.295611084], [-0.036937315, -0.615937233, -0.30506143]]> : tensor<3x3xf32>}> : () -> tensor<3x3xf32>
    %31 = "tfl.pseudo_const"() <{value = dense<[[-0.122012734, 0.00236572139, 0.223657846], [0.211417258, 0.133754805, 0.00476409914], [-0.549245358, 0.340318263, -0.438850045]]> : tensor<3x3xf32>}> : () -> tensor<3x3xf32>
    %32 = "tfl.no_value"() <{value}> : () -> none
    %33 = "tfl.no_value"() <{value}> : () -> none
    %34 = "tfl.no_value"() <{value}> : () -> none
    %35 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<3xf32>}> : () -> tensor<3xf32>
    %36 = "tfl.pseudo_const"() <{value = dense<1.000000e+00> : tensor<3xf32>}> : () -> tensor<3xf32>
    %37 = "tfl.no_value"() <{value}> : () -> none
    %38 = "tfl.no_value"() <{value}> : () -> none
    %39 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
    %40 = "tfl.pseudo_const"() <{value = dense<0.000000e+00> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
    %41 = "tfl.no_value"() <{value}> : () -> none
    %42 = "tfl.no_value"() <{value}> : () -> none
    %43 = "tfl.no_value"() <{value}> : () -> none
    %44 = "tfl.no_value"() <{value}> : () -> none
    %45 = "tfl.unidirectional_sequence_lstm"(%23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %35, %35, %37, %38, %39, %40, %41, %42, %43, %44) <{fused_activation_function = "TANH", time_major = false}> : (tensor<2x6x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, none, none, none, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, none, none, tensor<2x3xf32>, tensor<2x3xf32>, none, none, none, none) -> tensor<2x6x3xf32>
    %46 = "tfl.pseudo_const"() <{value = dense<[0, -1, 0]> : tensor<3xi32>}> : () -> tensor<3xi32>
    %47 = "tfl.pseudo_const"() <{value = dense<0> : tensor<3xi32>}> : () -> tensor<3xi32>
    %48 = "tfl.pseudo_const"() <{value = dense<1> : tensor<3xi32>}> : () -> tensor<3xi32>
    %49 = "tfl.strided_slice"(%45, %46, %47, %48) <{begin_mask = 5 : i32, ellipsis_mask = 0 : i32, end_mask = 5 : i32, new_axis_mask = 0 : i32, offset = false, shrink_axis_mask = 2 : i32}> : (tensor<2x6x3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<2x3xf32>
    return %49 : tensor<2x3xf32>
  }
}
