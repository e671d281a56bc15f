

func.func @LINE(%a: tensor<2xf32>)