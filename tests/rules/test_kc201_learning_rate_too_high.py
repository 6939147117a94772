"""KC201 learning-rate-too-high: adaptive optimizers above ~0.01, SGD above ~0.5."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc201(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC201"], options={"KC201": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_adam_keyword() -> None:
    src = """\
        import keras
        from keras import layers
        from sklearn.datasets import make_classification
        from sklearn.preprocessing import StandardScaler

        X, y = make_classification(n_samples=2000, n_features=20, random_state=0)
        X = StandardScaler().fit_transform(X)
        model = keras.Sequential([
            keras.Input(shape=(20,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.5),
                      loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=20, batch_size=32)
        """
    assert kc201(src) == [("KC201", 13)]
    (finding,) = lint_snippet(src, select=["KC201"])
    assert "Adam(learning_rate=0.5)" in finding.message and "0.01" in finding.message
    assert "NaN" in finding.message and "learning_rate=0.001" in finding.message
    assert finding.severity == "warning"


def test_keras2_lr_keyword_constant_variable_and_separate_optimizer() -> None:
    src = """\
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras.optimizers import RMSprop

        LR = 0.1
        X = np.load("x.npy")
        Y = np.load("y.npy")
        model = Sequential()
        model.add(Dense(64, input_dim=20))
        model.add(Activation("relu"))
        model.add(Dense(1))
        model.add(Activation("sigmoid"))
        opt = RMSprop(lr=LR)
        model.compile(loss="binary_crossentropy", optimizer=opt, metrics=["accuracy"])
        model.fit(X, Y, epochs=10, batch_size=32)
        """
    assert kc201(src) == [("KC201", 14)]
    assert "RMSprop(lr=0.1)" in lint_snippet(src, select=["KC201"])[0].message


def test_tf_keras_factory_called_with_an_argument() -> None:
    src = """\
        import tensorflow as tf

        def build_model(n_hidden=1, lr=3e-3):
            model = tf.keras.models.Sequential()
            model.add(tf.keras.layers.InputLayer(input_shape=(8,)))
            for _ in range(n_hidden):
                model.add(tf.keras.layers.Dense(30, activation="relu"))
            model.add(tf.keras.layers.Dense(1))
            optimizer = tf.keras.optimizers.Nadam(learning_rate=lr)
            model.compile(loss="mse", optimizer=optimizer)
            return model

        model = build_model(n_hidden=2, lr=0.05)
        model.fit(X_train, y_train, epochs=30)
        """
    assert kc201(src) == [("KC201", 9)]


def test_sgd_above_half_positional() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(10, activation="softmax")])
        model.compile(optimizer=keras.optimizers.SGD(1.0, momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5)
        """
    assert kc201(src) == [("KC201", 5)]
    assert "SGD(learning_rate=1.0)" in lint_snippet(src, select=["KC201"])[0].message


def test_schedule_initial_rate_reported_on_the_optimizer_argument() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(10000,)),
            tf.keras.layers.Dense(46, activation="softmax"),
        ])
        lr_schedule = tf.keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(learning_rate=lr_schedule),
            loss="categorical_crossentropy",
        )
        """
    assert kc201(src) == [("KC201", 10)]
    assert "ExponentialDecay(initial_learning_rate=0.1)" in lint_snippet(src, select=["KC201"])[0].message


def test_warmup_target_and_piecewise_values() -> None:
    src = """\
        import keras

        warm = keras.optimizers.schedules.CosineDecay(0.0, 10000, warmup_target=0.1, warmup_steps=500)
        steps = keras.optimizers.schedules.PiecewiseConstantDecay([1000, 2000], [0.5, 0.05, 0.005])
        generator_opt = keras.optimizers.AdamW(warm)
        discriminator_opt = keras.optimizers.Adam(learning_rate=steps)
        """
    assert kc201(src) == [("KC201", 5), ("KC201", 6)]


def test_unattached_optimizer_reported_once_and_options() -> None:
    src = """\
        from tensorflow import keras

        optimizer = keras.optimizers.Adagrad(learning_rate=0.5)
        """
    assert kc201(src) == [("KC201", 3)]
    assert kc201(src, **{"adagrad-max": 1.0}) == []


# -- not firing ----------------------------------------------------------------------------------------


def test_string_optimizer_and_default_rates() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        other = keras.optimizers.SGD()
        rms = keras.optimizers.RMSprop()
        """
    assert kc201(src) == []


def test_usual_rates_and_the_inclusive_ceiling() -> None:
    src = """\
        import keras

        a = keras.optimizers.Adam(1e-3)
        b = keras.optimizers.Adam(learning_rate=0.01)
        c = keras.optimizers.SGD(0.1, momentum=0.9)
        d = keras.optimizers.SGD(learning_rate=0.5)
        e = keras.optimizers.Adagrad(learning_rate=0.05)
        f = keras.optimizers.Nadam(0.002)
        """
    assert kc201(src) == []


def test_adadelta_rate_is_a_scale() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import Adadelta

        model = Sequential()
        model.add(Dense(10, activation="softmax", input_dim=784))
        model.compile(loss="categorical_crossentropy", optimizer=Adadelta(lr=1.0, rho=0.95),
                      metrics=["accuracy"])
        """
    assert kc201(src) == []


def test_clipped_sgd_language_model() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(10000, 650),
            tf.keras.layers.LSTM(650, return_sequences=True),
            tf.keras.layers.Dense(10000),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=1.0, clipnorm=5.0),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """
    assert kc201(src) == []


def test_learning_rate_scheduler_callback_overrides_the_rate() -> None:
    src = """\
        import keras
        from keras import layers

        def schedule(epoch, lr):
            return 1e-3 * 0.9 ** epoch

        model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="binary_crossentropy")
        model.fit(X, y, epochs=10, callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
        """
    assert kc201(src) == []


def test_hyper_parameter_sweep_and_unknown_rates() -> None:
    src = """\
        import argparse
        import keras
        from keras import layers

        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        args = parser.parse_args()

        def build(hp):
            model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
            lr = hp.Float("lr", min_value=1e-4, max_value=1e-1, sampling="log")
            model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
            return model

        for lr in [1.0, 0.1, 0.01, 0.001]:
            model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr), loss="mse")
            model.fit(X, y, epochs=5)

        final = keras.optimizers.Adam(learning_rate=args.lr)
        """
    assert kc201(src) == []


def test_small_schedule_and_custom_schedule_class() -> None:
    src = """\
        import tensorflow as tf

        class CustomSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
            def __init__(self, d_model, warmup_steps=4000):
                self.d_model = tf.cast(d_model, tf.float32)
                self.warmup_steps = warmup_steps

            def __call__(self, step):
                arg1 = tf.math.rsqrt(step)
                return tf.math.rsqrt(self.d_model) * tf.math.minimum(arg1, step * self.warmup_steps ** -1.5)

        transformer_opt = tf.keras.optimizers.Adam(CustomSchedule(128), beta_1=0.9, beta_2=0.98, epsilon=1e-9)
        decay = tf.keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=10000, decay_rate=0.9)
        adam = tf.keras.optimizers.Adam(decay)
        """
    assert kc201(src) == []


def test_style_transfer_optimizes_an_image_variable() -> None:
    src = """\
        import tensorflow as tf

        content_image = load_img("content.jpg")
        image = tf.Variable(content_image)
        opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
        sgd = tf.keras.optimizers.SGD(
            tf.keras.optimizers.schedules.ExponentialDecay(
                initial_learning_rate=100.0, decay_steps=100, decay_rate=0.96))

        @tf.function()
        def train_step(image):
            with tf.GradientTape() as tape:
                loss = style_content_loss(extractor(image))
            grad = tape.gradient(loss, image)
            opt.apply_gradients([(grad, image)])
            image.assign(tf.clip_by_value(image, 0.0, 1.0))
        """
    assert kc201(src) == []


def test_compiled_optimizer_still_judged_next_to_variables() -> None:
    src = """\
        import tensorflow as tf

        step = tf.Variable(0, trainable=False)
        model = tf.keras.Sequential([tf.keras.layers.Dense(128, activation="relu", input_shape=(784,)),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer=tf.keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy")
        """
    assert kc201(src) == [("KC201", 6)]


def test_linear_models_tolerate_a_large_adaptive_rate() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
        fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)
        l0 = tf.keras.layers.Dense(units=1, input_shape=[1])
        model = tf.keras.Sequential([l0])
        model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(0.1))
        model.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)

        normalizer = tf.keras.layers.Normalization(axis=-1)
        normalizer.adapt(np.array(train_features))
        linear_model = tf.keras.Sequential([normalizer, tf.keras.layers.Dense(units=1)])
        linear_model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
        """
    assert kc201(src) == []


def test_hidden_nonlinearity_is_not_linear() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(9,)),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
        """
    assert kc201(src) == [("KC201", 7)]


def test_hands_on_ml_autoencoder_with_sgd_1_5() -> None:
    src = """\
        from tensorflow import keras

        stacked_encoder = keras.models.Sequential([
            keras.layers.Flatten(input_shape=[28, 28]),
            keras.layers.Dense(100, activation="selu"),
            keras.layers.Dense(30, activation="selu"),
        ])
        stacked_decoder = keras.models.Sequential([
            keras.layers.Dense(100, activation="selu", input_shape=[30]),
            keras.layers.Dense(28 * 28, activation="sigmoid"),
            keras.layers.Reshape([28, 28]),
        ])
        stacked_ae = keras.models.Sequential([stacked_encoder, stacked_decoder])
        stacked_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.5))
        history = stacked_ae.fit(X_train, X_train, epochs=20, validation_data=(X_valid, X_valid))
        """
    assert kc201(src) == []


def test_federated_server_sgd_is_not_compiled() -> None:
    src = """\
        import tensorflow as tf
        import tensorflow_federated as tff

        class Config:
            @staticmethod
            def client_optimizer_fn():
                return tf.keras.optimizers.SGD(learning_rate=0.02)

            @staticmethod
            def server_optimizer_fn():
                return tf.keras.optimizers.SGD(learning_rate=1.0)

        process = tff.learning.algorithms.build_weighted_fed_avg(
            model_fn, client_optimizer_fn=Config.client_optimizer_fn,
            server_optimizer_fn=Config.server_optimizer_fn)
        """
    assert kc201(src) == []


# -- schedules, variables and custom training steps ---------------------------------------------------


def test_decaying_schedule_from_a_moderate_initial_rate_is_quiet() -> None:
    # AdaMatch/FixMatch-style recipes start a cosine schedule at 0.03; a constant 0.03 still fires
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.cifar10.load_data()
        x_train = x_train / 255.0
        total_steps = 50 * (len(x_train) // 64)
        schedule = keras.optimizers.schedules.CosineDecay(0.03, total_steps, 0.25)
        cosine = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(10, activation="softmax"),
        ])
        cosine.compile(optimizer=keras.optimizers.Adam(schedule),
                       loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        cosine.fit(x_train, y_train, batch_size=64, epochs=50)

        constant = keras.models.clone_model(cosine)
        constant.compile(optimizer=keras.optimizers.Adam(0.03),
                         loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        constant.fit(x_train, y_train, batch_size=64, epochs=50)
        """
    assert kc201(src) == [("KC201", 19)]


def test_decaying_schedule_from_a_high_initial_rate_fires() -> None:
    src = """\
        from tensorflow import keras

        lr = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96)
        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(30,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                      loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc201(src) == [("KC201", 8)]
    assert kc201(src, **{"schedule-adaptive-max": 0.2}) == []


def test_optimizer_that_only_updates_an_image_variable_is_not_a_model_rate() -> None:
    # feature visualisation: the optimizer moves the pixels of a tf.Variable; the feature
    # extractor is compiled (for evaluate/summary) but never fit
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        base = keras.applications.VGG16(weights="imagenet", include_top=False)
        extractor = keras.Model(base.inputs, base.get_layer("block3_conv1").output)
        optimizer = keras.optimizers.Adam(learning_rate=5.0)
        extractor.compile(optimizer=optimizer, loss="mse")
        image = tf.Variable(tf.random.uniform((1, 180, 180, 3)))

        for step in range(30):
            with tf.GradientTape() as tape:
                activation = extractor(image)
                loss = -tf.reduce_mean(activation[:, :, :, 7])
            grads = tape.gradient(loss, image)
            optimizer.apply_gradients([(grads, image)])
        """
    assert kc201(src) == []


def test_optimizer_applied_to_model_weights_still_fires() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            keras.layers.Dense(3),
        ])
        optimizer = keras.optimizers.Adam(learning_rate=0.5)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        noise = tf.Variable(tf.zeros((1, 20)))

        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x + noise, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """
    assert kc201(src) == [("KC201", 8)]


GAN = """\
    import tensorflow as tf
    from tensorflow import keras

    class GAN(keras.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim

        def compile(self, d_optimizer, g_optimizer, loss_fn, **kwargs):
            super().compile(**kwargs)
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        def train_step(self, real_images):
            batch_size = tf.shape(real_images)[0]
            noise = tf.random.normal((batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                fake = self.discriminator(self.generator(noise))
                g_loss = self.loss_fn(tf.ones((batch_size, 1)), fake)
            grads = tape.gradient(g_loss, self.generator.trainable_weights)
            {STEP}.apply_gradients(zip(grads, self.generator.trainable_weights))
            return {{"g_loss": g_loss}}

    gan = GAN(discriminator=keras.Sequential(), generator=keras.Sequential(), latent_dim=128)
    gan.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.1),
        d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
        g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
        loss_fn=keras.losses.BinaryCrossentropy(),
    )
    gan.fit(dataset, epochs=20)
    """


def test_compile_optimizer_of_a_train_step_that_never_reads_it() -> None:
    assert kc201(GAN.format(STEP="self.g_optimizer")) == []


def test_compile_optimizer_of_a_train_step_that_reads_it_fires() -> None:
    assert kc201(GAN.format(STEP="self.optimizer")) == [("KC201", 29)]


def test_style_transfer_variable_initialised_from_a_decoded_image() -> None:
    # TensorFlow's style-transfer tutorial: the Variable holds image data read from a file
    src = """\
        import tensorflow as tf

        def load_img(path):
            img = tf.io.read_file(path)
            img = tf.image.decode_image(img, channels=3)
            img = tf.image.convert_image_dtype(img, tf.float32)
            return img[tf.newaxis, :]

        content_image = load_img("content.jpg")
        vgg = tf.keras.applications.VGG19(include_top=False, weights="imagenet")
        extractor = tf.keras.Model([vgg.input], vgg.get_layer("block5_conv2").output)
        image = tf.Variable(content_image)
        opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

        @tf.function()
        def train_step(image):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(extractor(image))
            grad = tape.gradient(loss, image)
            opt.apply_gradients([(grad, image)])
            image.assign(tf.clip_by_value(image, 0.0, 1.0))

        for step in range(100):
            train_step(image)
        """
    assert kc201(src) == []
