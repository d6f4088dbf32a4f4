"""Vision fixtures: Keras applications (weights=None, 32x32), U-Net, conv variants."""
import tensorflow as tf

from .registry import fixture

keras = tf.keras
IMG = (32, 32, 3)


def _export(ctx, model, **kw):
    return ctx.export_keras(model, **kw)


@fixture("mobilenet_v2", ["vision", "keras-applications"])
def mobilenet_v2(ctx):
    return _export(ctx, keras.applications.MobileNetV2(
        input_shape=IMG, alpha=0.35, weights=None, classes=10))


@fixture("mobilenet_v3_small", ["vision", "keras-applications"])
def mobilenet_v3_small(ctx):
    return _export(ctx, keras.applications.MobileNetV3Small(
        input_shape=IMG, weights=None, classes=10, include_preprocessing=True))


@fixture("resnet50", ["vision", "keras-applications"])
def resnet50(ctx):
    return _export(ctx, keras.applications.ResNet50(input_shape=IMG, weights=None, classes=10))


@fixture("efficientnet_b0", ["vision", "keras-applications"])
def efficientnet_b0(ctx):
    return _export(ctx, keras.applications.EfficientNetB0(input_shape=IMG, weights=None,
                                                          classes=10))


@fixture("unet", ["vision"], keras_entry=True)
def unet(ctx):
    inp = keras.Input((32, 32, 3), name="image")
    c1 = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
    p1 = keras.layers.MaxPooling2D()(c1)
    c2 = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
    p2 = keras.layers.MaxPooling2D()(c2)
    b = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(p2)
    u2 = keras.layers.Conv2DTranspose(16, 2, strides=2, padding="same")(b)
    c3 = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(
        keras.layers.Concatenate()([u2, c2]))
    u1 = keras.layers.UpSampling2D()(c3)
    c4 = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(
        keras.layers.Concatenate()([u1, c1]))
    out = keras.layers.Conv2D(2, 1, activation="softmax")(c4)
    return _export(ctx, keras.Model(inp, out), keras_file=True)


@fixture("separable_stack", ["vision"], keras_entry=True)
def separable_stack(ctx):
    model = keras.Sequential([
        keras.Input((32, 32, 3), name="image"),
        keras.layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2),
        keras.layers.BatchNormalization(),
        keras.layers.ReLU(6.0),
        keras.layers.SeparableConv2D(16, 3, strides=2, padding="same", activation="relu"),
        keras.layers.DepthwiseConv2D(3, dilation_rate=2, padding="same"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(4),
    ])
    return _export(ctx, model, keras_file=True)


@fixture("conv_transpose", ["vision"])
def conv_transpose(ctx):
    model = keras.Sequential([
        keras.Input((8, 8, 4), name="x"),
        keras.layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"),
        keras.layers.Conv2DTranspose(4, 3, strides=1, padding="valid"),
    ])
    return _export(ctx, model)


@fixture("conv3d", ["vision"])
def conv3d(ctx):
    model = keras.Sequential([
        keras.Input((4, 8, 8, 2), name="x"),
        keras.layers.Conv3D(4, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling3D(2),
    ])
    return _export(ctx, model)


class _ConvNCHW(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.random.stateless_normal([3, 3, 3, 8], seed=[1, 2]))
        self.b = tf.Variable(tf.random.stateless_normal([8], seed=[1, 3]))

    @tf.function(input_signature=[tf.TensorSpec([1, 3, 16, 16], tf.float32, name="x")])
    def __call__(self, x):
        y = tf.nn.conv2d(x, self.w, strides=1, padding="SAME", data_format="NCHW")
        y = tf.nn.bias_add(y, self.b, data_format="NCHW")
        y = tf.nn.relu(y)
        return tf.nn.max_pool2d(y, 2, 2, "VALID", data_format="NCHW")


@fixture("conv_nchw", ["vision", "layout"])
def conv_nchw(ctx):
    m = _ConvNCHW()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _Resize(tf.Module):
    def __init__(self, method):
        super().__init__()
        self.method = method

    @tf.function(input_signature=[tf.TensorSpec([1, 8, 8, 3], tf.float32, name="x")])
    def __call__(self, x):
        a = tf.image.resize(x, [16, 12], method=self.method)
        if self.method == "bilinear":
            b = tf.compat.v1.image.resize_bilinear(x, [5, 5], align_corners=True)
        else:
            b = tf.compat.v1.image.resize_nearest_neighbor(x, [5, 5], align_corners=True)
        return {"half_pixel": a, "align_corners": b}


@fixture("resize_bilinear", ["vision", "resize"])
def resize_bilinear(ctx):
    m = _Resize("bilinear")
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


@fixture("resize_nearest", ["vision", "resize"])
def resize_nearest(ctx):
    m = _Resize("nearest")
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _BatchNormTraining(tf.Module):
    """FusedBatchNormV3 with is_training=True: statistics come from the batch itself."""

    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(tf.random.stateless_uniform([4], seed=[3, 1]) + 0.5)
        self.offset = tf.Variable(tf.random.stateless_uniform([4], seed=[3, 2]))

    @tf.function(input_signature=[tf.TensorSpec([2, 6, 6, 4], tf.float32, name="x")])
    def __call__(self, x):
        y, _, _ = tf.compat.v1.nn.fused_batch_norm(x, self.scale, self.offset, is_training=True)
        return y


@fixture("batchnorm_training", ["vision", "batchnorm"])
def batchnorm_training(ctx):
    m = _BatchNormTraining()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


class _KerasBNTraining(tf.Module):
    def __init__(self):
        super().__init__()
        self.bn = keras.layers.BatchNormalization()
        self.bn.build((None, 6, 6, 4))

    @tf.function(input_signature=[tf.TensorSpec([2, 6, 6, 4], tf.float32, name="x")])
    def __call__(self, x):
        return self.bn(x, training=True)


@fixture("batchnorm_keras_training", ["vision", "batchnorm", "resource-variables"],
         notes="Keras BN called with training=True updates moving stats (AssignVariableOp)")
def batchnorm_keras_training(ctx):
    m = _KerasBNTraining()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


def conv_stack_module():
    """A small CNN used by several format variants (TF2, frozen, debug info)."""
    model = keras.Sequential([
        keras.Input((16, 16, 3)),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.AveragePooling2D(2),
        keras.layers.Conv2D(8, 3, strides=2, activation="relu6"),
        keras.layers.Flatten(),
        keras.layers.Dense(5, activation="softmax"),
    ])

    class Wrapper(tf.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        @tf.function(input_signature=[tf.TensorSpec([None, 16, 16, 3], tf.float32, name="image")])
        def __call__(self, image):
            return {"probs": self.model(image, training=False)}

    return Wrapper()


# Observed with TF 2.21: saving a tf.Module that holds a Keras 3 model leaves the Keras
# variables as VAR_HANDLE/READ_VARIABLE in the .tflite with nothing to initialize them,
# so LiteRT returns NaN; the frozen variant converts to constants and matches.
@fixture("conv_stack", ["vision", "format-variant"])
def conv_stack(ctx):
    m = conv_stack_module()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function())


@fixture("conv_stack.debuginfo", ["vision", "format-variant", "debug-info"])
def conv_stack_debuginfo(ctx):
    m = conv_stack_module()
    return ctx.save_tf2(m, signatures=m.__call__.get_concrete_function(), debug_info=True)


@fixture("conv_stack.frozen", ["vision", "format-variant"])
def conv_stack_frozen(ctx):
    m = conv_stack_module()  # keep alive: the concrete function holds only a weak reference
    return ctx.freeze(m.__call__.get_concrete_function())


@fixture("dilated_conv", ["vision"])
def dilated_conv(ctx):
    model = keras.Sequential([
        keras.Input((16, 16, 2), name="x"),
        keras.layers.Conv2D(4, 3, dilation_rate=2, padding="same"),
        keras.layers.Conv2D(4, 3, dilation_rate=3, padding="valid"),
    ])
    return _export(ctx, model)
