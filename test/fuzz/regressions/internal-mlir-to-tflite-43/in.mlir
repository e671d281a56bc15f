

func.func @parse_error(%a: tensor<2xf32>) -> tensor<2xf32>