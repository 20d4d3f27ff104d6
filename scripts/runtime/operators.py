"""One small graph per operator (and per opset variant that changes its inputs/attributes),
so each kernel is checked against onnxruntime on its own."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

ELEM = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE, np.int64: TensorProto.INT64,
        np.bool_: TensorProto.BOOL, np.object_: TensorProto.STRING, np.str_: TensorProto.STRING}
rng = np.random.default_rng(42)


def f32(*shape):
    return rng.normal(0, 2, shape).astype(np.float32)


def graph(nodes, feeds, outputs, opset=17, ml=3, inits=()):
    """outputs: [(name, elem_type)] with unknown shapes, as exporters often leave them."""
    inputs = [helper.make_tensor_value_info(k, ELEM[np.asarray(v).dtype.type], list(np.asarray(v).shape))
              for k, v in feeds.items()]
    outs = [maps_value_info(n) if t == MAPS else helper.make_tensor_value_info(n, t, None) for n, t in outputs]
    g = helper.make_graph(nodes, "g", inputs, outs, initializer=[numpy_helper.from_array(a, n) for n, a in inits])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid("ai.onnx.ml", ml)])
    m.ir_version = 8
    return m


MAPS = "seq(map(string,float))"


def maps_value_info(name):
    value = helper.make_tensor_type_proto(TensorProto.FLOAT, None)
    return helper.make_value_info(name, helper.make_sequence_type_proto(helper.make_map_type_proto(S, value)))


def node(op, inputs, outputs, domain="", **attrs):
    return helper.make_node(op, inputs, outputs, domain=domain, **attrs)


F, D, I, B, S = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.BOOL, TensorProto.STRING


def graphs():
    out = []
    add = lambda name, *a, **k: out.append((name, graph(*a, **k), a[1]))
    x34, r4 = f32(3, 4), f32(4)
    for op in ["Add", "Sub", "Mul", "Div"]:
        add(op.lower() + "_broadcast", [node(op, ["a", "b"], ["y"])], {"a": x34, "b": r4}, [("y", F)])
    add("add_int64", [node("Add", ["a", "b"], ["y"])],
        {"a": np.arange(6, dtype=np.int64).reshape(2, 3), "b": np.array([[10], [20]], dtype=np.int64)}, [("y", I)])
    add("mul_double_3d", [node("Mul", ["a", "b"], ["y"])],
        {"a": rng.normal(size=(2, 1, 3)), "b": rng.normal(size=(4, 1))}, [("y", D)])
    add("div_int64", [node("Div", ["a", "b"], ["y"])],
        {"a": np.array([7, -7, 9, 0], dtype=np.int64), "b": np.array([2, 2, -4, 3], dtype=np.int64)}, [("y", I)])
    add("matmul", [node("MatMul", ["a", "b"], ["y"])], {"a": f32(3, 4), "b": f32(4, 2)}, [("y", F)])
    add("matmul_batched", [node("MatMul", ["a", "b"], ["y"])], {"a": f32(2, 3, 4), "b": f32(4, 5)}, [("y", F)])
    add("matmul_vector", [node("MatMul", ["a", "b"], ["y"])], {"a": f32(4), "b": f32(4, 3)}, [("y", F)])
    add("gemm", [node("Gemm", ["a", "b", "c"], ["y"], alpha=0.5, beta=2.0, transB=1)],
        {"a": f32(3, 4), "b": f32(5, 4), "c": f32(5)}, [("y", F)])
    add("gemm_trans_a", [node("Gemm", ["a", "b"], ["y"], transA=1)], {"a": f32(4, 3), "b": f32(4, 2)}, [("y", F)])
    for op in ["Relu", "Sigmoid", "Tanh", "Exp", "Abs", "Identity"]:
        add(op.lower(), [node(op, ["x"], ["y"])], {"x": f32(3, 4)}, [("y", F)])
    add("log", [node("Log", ["x"], ["y"])], {"x": np.abs(f32(3, 4)) + 0.01}, [("y", F)])
    add("sqrt", [node("Sqrt", ["x"], ["y"])], {"x": np.abs(f32(3, 4))}, [("y", F)])
    add("softmax", [node("Softmax", ["x"], ["y"])], {"x": f32(2, 3, 4)}, [("y", F)])
    add("softmax_opset11", [node("Softmax", ["x"], ["y"], axis=1)], {"x": f32(2, 3, 4)}, [("y", F)], opset=11)
    add("argmax", [node("ArgMax", ["x"], ["y"], axis=1, keepdims=0)], {"x": f32(4, 5)}, [("y", I)])
    add("argmax_last_keepdims", [node("ArgMax", ["x"], ["y"], axis=0, select_last_index=1)],
        {"x": np.array([[1, 3, 3], [3, 3, 1]], dtype=np.float32)}, [("y", I)])
    add("reducesum", [node("ReduceSum", ["x", "axes"], ["y"], keepdims=0)], {"x": f32(2, 3, 4)}, [("y", F)],
        inits=[("axes", np.array([1], dtype=np.int64))])
    add("reducesum_all", [node("ReduceSum", ["x"], ["y"])], {"x": f32(2, 3)}, [("y", F)])
    add("reducemean", [node("ReduceMean", ["x"], ["y"], axes=[-1])], {"x": f32(2, 3, 4)}, [("y", F)])
    add("reducemax", [node("ReduceMax", ["x", "axes"], ["y"])], {"x": f32(2, 3, 4)}, [("y", F)], opset=18,
        inits=[("axes", np.array([0, 2], dtype=np.int64))])
    add("cast_float_int64", [node("Cast", ["x"], ["y"], to=I)], {"x": f32(3, 4) * 3}, [("y", I)])
    add("cast_int64_double", [node("Cast", ["x"], ["y"], to=D)], {"x": np.array([1, -2, 3], dtype=np.int64)}, [("y", D)])
    add("cast_bool_float", [node("Cast", ["x"], ["y"], to=F)], {"x": np.array([True, False])}, [("y", F)])
    add("cast_string_float", [node("Cast", ["x"], ["y"], to=F)], {"x": np.array(["1.5", "-2", "3e2"], dtype=object)},
        [("y", F)])
    add("reshape", [node("Reshape", ["x", "s"], ["y"])], {"x": f32(2, 3, 4)}, [("y", F)],
        inits=[("s", np.array([0, -1, 2], dtype=np.int64))])
    add("flatten", [node("Flatten", ["x"], ["y"], axis=2)], {"x": f32(2, 3, 4)}, [("y", F)])
    add("concat", [node("Concat", ["a", "b"], ["y"], axis=1)], {"a": f32(2, 3), "b": f32(2, 1)}, [("y", F)])
    add("concat_string", [node("Concat", ["a", "b"], ["y"], axis=0)],
        {"a": np.array([["a", "b"]], dtype=object), "b": np.array([["c", "d"]], dtype=object)}, [("y", S)])
    add("gather", [node("Gather", ["x", "i"], ["y"], axis=1)], {"x": f32(3, 4)}, [("y", F)],
        inits=[("i", np.array([[0, -1], [2, 1]], dtype=np.int64))])
    add("gather_axis0", [node("Gather", ["x", "i"], ["y"])], {"x": f32(3, 4)}, [("y", F)],
        inits=[("i", np.array(1, dtype=np.int64))])
    add("squeeze", [node("Squeeze", ["x", "a"], ["y"])], {"x": f32(3, 1, 4, 1)}, [("y", F)],
        inits=[("a", np.array([1], dtype=np.int64))])
    add("squeeze_opset11", [node("Squeeze", ["x"], ["y"])], {"x": f32(3, 1, 4, 1)}, [("y", F)], opset=11)
    add("unsqueeze", [node("Unsqueeze", ["x", "a"], ["y"])], {"x": f32(3, 4)}, [("y", F)],
        inits=[("a", np.array([0, -1], dtype=np.int64))])
    add("unsqueeze_opset11", [node("Unsqueeze", ["x"], ["y"], axes=[1])], {"x": f32(3, 4)}, [("y", F)], opset=11)
    add("shape", [node("Shape", ["x"], ["y"])], {"x": f32(2, 3, 4)}, [("y", I)])
    add("shape_start_end", [node("Shape", ["x"], ["y"], start=1, end=-1)], {"x": f32(2, 3, 4)}, [("y", I)])
    add("slice", [node("Slice", ["x", "s", "e", "a", "st"], ["y"])], {"x": f32(4, 6)}, [("y", F)],
        inits=[("s", np.array([1, -1], dtype=np.int64)), ("e", np.array([1000, 0], dtype=np.int64)),
               ("a", np.array([0, 1], dtype=np.int64)), ("st", np.array([2, -2], dtype=np.int64))])
    add("slice_defaults", [node("Slice", ["x", "s", "e"], ["y"])], {"x": f32(4, 6)}, [("y", F)],
        inits=[("s", np.array([1, 2], dtype=np.int64)), ("e", np.array([3, -1], dtype=np.int64))])
    add("transpose", [node("Transpose", ["x"], ["y"], perm=[2, 0, 1])], {"x": f32(2, 3, 4)}, [("y", F)])
    add("transpose_default", [node("Transpose", ["x"], ["y"])], {"x": f32(2, 3)}, [("y", F)])
    add("where", [node("Where", ["c", "a", "b"], ["y"])],
        {"c": rng.random((3, 4)) > 0.5, "a": f32(3, 4), "b": f32(4)}, [("y", F)])
    add("clip", [node("Clip", ["x", "lo", "hi"], ["y"])], {"x": f32(3, 4)}, [("y", F)],
        inits=[("lo", np.array(-1, dtype=np.float32)), ("hi", np.array(0.5, dtype=np.float32))])
    add("clip_min_only", [node("Clip", ["x", "lo"], ["y"])], {"x": f32(3, 4)}, [("y", F)],
        inits=[("lo", np.array(0, dtype=np.float32))])
    add("clip_opset6", [node("Clip", ["x"], ["y"], min=-0.5, max=0.5)], {"x": f32(3, 4)}, [("y", F)], opset=10)
    for op in ["Less", "Greater", "Equal"]:
        add(op.lower(), [node(op, ["a", "b"], ["y"])], {"a": np.round(x34), "b": np.round(r4)}, [("y", B)])
    add("equal_string", [node("Equal", ["a", "b"], ["y"])],
        {"a": np.array(["x", "y", "z"], dtype=object), "b": np.array(["x", "q", "z"], dtype=object)}, [("y", B)], opset=19)
    add("not", [node("Not", ["x"], ["y"])], {"x": rng.random((2, 3)) > 0.5}, [("y", B)])
    add("constant_add", [node("Constant", [], ["c"], value=numpy_helper.from_array(r4, "c")),
                         node("Add", ["x", "c"], ["y"])], {"x": x34}, [("y", F)])
    out.extend(ml_graphs())
    return out


def ml_graphs():
    out = []
    add = lambda name, *a, **k: out.append((name, graph(*a, **k), a[1]))
    ml = "ai.onnx.ml"
    x = f32(5, 4)
    add("array_feature_extractor", [node("ArrayFeatureExtractor", ["x", "i"], ["y"], domain=ml)], {"x": x},
        [("y", F)], inits=[("i", np.array([3, 0], dtype=np.int64))])
    xn = x.copy(); xn[1, 2] = np.nan; xn[3, 0] = np.nan
    add("imputer", [node("Imputer", ["x"], ["y"], domain=ml, imputed_value_floats=[1.0, 2.0, 3.0, 4.0],
                         replaced_value_float=float("nan"))], {"x": xn}, [("y", F)])
    add("scaler", [node("Scaler", ["x"], ["y"], domain=ml, offset=[0.5, -1.0, 0.0, 2.0], scale=[2.0, 0.5, 1.0, -1.0])],
        {"x": x}, [("y", F)])
    add("scaler_double", [node("Scaler", ["x"], ["y"], domain=ml, offset=[0.5], scale=[3.0])],
        {"x": rng.normal(size=(3, 2))}, [("y", F)])
    for norm in ["L1", "L2", "MAX"]:
        add("normalizer_" + norm.lower(), [node("Normalizer", ["x"], ["y"], domain=ml, norm=norm)], {"x": x},
            [("y", F)])
    add("binarizer", [node("Binarizer", ["x"], ["y"], domain=ml, threshold=0.3)], {"x": x}, [("y", F)])
    add("one_hot_encoder_int", [node("OneHotEncoder", ["x"], ["y"], domain=ml, cats_int64s=[1, 5, 9], zeros=1)],
        {"x": np.array([[1, 9], [5, 7]], dtype=np.int64)}, [("y", F)])
    add("one_hot_encoder_string", [node("OneHotEncoder", ["x"], ["y"], domain=ml, cats_strings=["a", "b"])],
        {"x": np.array([["b"], ["a"]], dtype=object)}, [("y", F)])
    add("label_encoder_int_to_string", [node("LabelEncoder", ["x"], ["y"], domain=ml, keys_int64s=[1, 2, 3],
                                             values_strings=["one", "two", "three"], default_string="?")],
        {"x": np.array([3, 1, 7], dtype=np.int64)}, [("y", S)], ml=2)
    add("label_encoder_string_to_float",
        [node("LabelEncoder", ["x"], ["y"], domain=ml, keys_strings=["a", "b"], values_floats=[0.5, 1.5],
              default_float=-1.0)], {"x": np.array(["b", "c", "a"], dtype=object)}, [("y", F)], ml=2)
    add("linear_classifier_softmax",
        [node("LinearClassifier", ["x"], ["label", "scores"], domain=ml, classlabels_ints=[0, 1, 2],
              coefficients=f32(12).tolist(), intercepts=[0.1, -0.2, 0.3], post_transform="SOFTMAX")],
        {"x": x}, [("label", I), ("scores", F)])
    add("linear_classifier_binary_strings",
        [node("LinearClassifier", ["x"], ["label", "scores"], domain=ml, classlabels_strings=["no", "yes"],
              coefficients=f32(4).tolist(), intercepts=[0.25], post_transform="LOGISTIC")],
        {"x": x}, [("label", S), ("scores", F)])
    add("linear_regressor_targets",
        [node("LinearRegressor", ["x"], ["y"], domain=ml, coefficients=f32(8).tolist(), intercepts=[1.0, -1.0],
              targets=2)], {"x": x}, [("y", F)])
    add("zipmap_strings", [node("ZipMap", ["x"], ["y"], domain=ml, classlabels_strings=["a", "b", "c"])],
        {"x": f32(3, 3)}, [("y", MAPS)])
    add("tree_ensemble_opset5", [tree_ensemble_v5()],
        {"x": np.array([[-1, -1, 0], [-1, 0, 1], [-1, 2, 0.5], [-1, 1, 0.6], [1, 0, 0], [0, 2.5, 0.4]], dtype=np.float32)}, [("y", F)], opset=21, ml=5)
    return out


def tree_ensemble_v5():
    """Two trees over three features: a LEQ root with a member split, and a GT stump.
    Member tests use integer-valued inputs: onnxruntime truncates a non-integer input before
    the membership test (1.5 counts as a member of {1}), the ONNX spec and this runtime don't."""
    return node("TreeEnsemble", ["x"], ["y"], domain="ai.onnx.ml", n_targets=2, aggregate_function=1,
                post_transform=0, tree_roots=[0, 2],
                nodes_modes=numpy_helper.from_array(np.array([0, 6, 3], dtype=np.uint8), "m"),
                nodes_featureids=[0, 1, 2],
                nodes_splits=numpy_helper.from_array(np.array([0.0, float("nan"), 0.5], dtype=np.float32), "s"),
                nodes_truenodeids=[1, 0, 3], nodes_trueleafs=[0, 1, 1],
                nodes_falsenodeids=[2, 1, 4], nodes_falseleafs=[1, 1, 1],
                membership_values=numpy_helper.from_array(
                    np.array([-1.0, 0.0, 1.0], dtype=np.float32), "mv"),
                leaf_targetids=[0, 1, 0, 1, 0],
                leaf_weights=numpy_helper.from_array(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32), "w"))
