"""KC301 unscaled-input: raw [0, 255] pixels reaching fit."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc301(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC301"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_mnist_mlp_without_division() -> None:
    src = """\
        from keras.datasets import mnist
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        from keras.optimizers import RMSprop
        from keras.utils import np_utils

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        x_train = x_train.reshape(60000, 784)
        x_test = x_test.reshape(10000, 784)
        x_train = x_train.astype('float32')
        x_test = x_test.astype('float32')
        y_train = np_utils.to_categorical(y_train, 10)
        y_test = np_utils.to_categorical(y_test, 10)

        model = Sequential()
        model.add(Dense(512, activation='relu', input_shape=(784,)))
        model.add(Dropout(0.2))
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer=RMSprop(lr=0.001), metrics=['accuracy'])
        model.fit(x_train, y_train, batch_size=128, nb_epoch=20, validation_data=(x_test, y_test))
        """
    assert kc301(src) == [("KC301", 20)]
    (finding,) = lint_snippet(src, select=["KC301"])
    assert "x_train" in finding.message and "keras.datasets.mnist" in finding.message
    assert "255" in finding.message and finding.severity == "warning"


def test_tf_keras_functional_cifar10_convnet() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        (train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.cifar10.load_data()

        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(32, (3, 3), activation='relu')(inputs)
        x = layers.MaxPooling2D((2, 2))(x)
        x = layers.Conv2D(64, (3, 3), activation='relu')(x)
        x = layers.Flatten()(x)
        x = layers.Dense(64, activation='relu')(x)
        outputs = layers.Dense(10)(x)
        model = tf.keras.Model(inputs=inputs, outputs=outputs)

        model.compile(optimizer='adam',
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=['accuracy'])
        history = model.fit(train_images, train_labels, epochs=10,
                            validation_data=(test_images, test_labels))
        """
    assert kc301(src) == [("KC301", 18)]


def test_image_dataset_from_directory_without_rescaling_layer() -> None:
    src = """\
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "flower_photos", validation_split=0.2, subset="training", seed=123,
            image_size=(180, 180), batch_size=32)
        val_ds = keras.utils.image_dataset_from_directory(
            "flower_photos", validation_split=0.2, subset="validation", seed=123,
            image_size=(180, 180), batch_size=32)
        train_ds = train_ds.cache().shuffle(1000).prefetch(buffer_size=8)

        NUM_CLASSES = 5
        model = keras.Sequential([
            keras.Input(shape=(180, 180, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(NUM_CLASSES),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10)
        """
    assert kc301(src) == [("KC301", 26)]


def test_keras2_image_data_generator_without_rescale_and_fit_generator() -> None:
    src = """\
        from keras.preprocessing.image import ImageDataGenerator
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Activation

        train_datagen = ImageDataGenerator(shear_range=0.2, zoom_range=0.2, horizontal_flip=True)
        train_generator = train_datagen.flow_from_directory(
            'data/train', target_size=(150, 150), batch_size=16, class_mode='binary')

        model = Sequential()
        model.add(Conv2D(32, (3, 3), input_shape=(150, 150, 3)))
        model.add(Activation('relu'))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(64))
        model.add(Activation('relu'))
        model.add(Dense(1))
        model.add(Activation('sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        model.fit_generator(train_generator, steps_per_epoch=2000 // 16, epochs=50)
        """
    assert kc301(src) == [("KC301", 19)]


def test_decoded_image_files_in_a_model_factory() -> None:
    src = """\
        import os
        import cv2
        import numpy as np
        from tensorflow import keras

        data, labels = [], []
        for name in os.listdir("dataset"):
            image = cv2.imread(os.path.join("dataset", name))
            image = cv2.resize(image, (64, 64))
            data.append(image)
            labels.append(1 if name.startswith("dog") else 0)
        data = np.array(data, dtype="float32")
        labels = np.array(labels)

        def build_model():
            model = keras.models.Sequential()
            model.add(keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(64, 64, 3)))
            model.add(keras.layers.Flatten())
            model.add(keras.layers.Dense(1, activation="sigmoid"))
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            return model

        model = build_model()
        model.fit(data, labels, epochs=10, validation_split=0.2)
        """
    assert kc301(src) == [("KC301", 24)]


def test_scaled_copy_that_is_never_used() -> None:
    src = """\
        import keras
        from keras import layers

        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
        x_train_norm = x_train / 255.0
        x_test_norm = x_test / 255.0

        model = keras.Sequential([
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc301(src) == [("KC301", 14)]


def test_tf_data_pipeline_that_only_resizes() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.cifar100.load_data()

        def preprocess(image, label):
            image = tf.image.resize(image, (64, 64))
            return image, label

        train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        train_ds = train_ds.map(preprocess).shuffle(1000).batch(64)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(100, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """
    assert kc301(src) == [("KC301", 18)]


def test_subclassed_model_without_scaling() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class MnistModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.flatten = keras.layers.Flatten()
                self.hidden = keras.layers.Dense(128, activation="relu")
                self.out = keras.layers.Dense(10)

            def call(self, inputs):
                x = self.flatten(inputs)
                return self.out(self.hidden(x))

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        model = MnistModel()
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc301(src) == [("KC301", 19)]


# -- not firing ------------------------------------------------------------------------------------------


def test_keras_io_mnist_convnet_is_clean() -> None:
    src = """\
        import numpy as np
        import keras
        from keras import layers

        num_classes = 10
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train = x_train.astype("float32") / 255
        x_test = x_test.astype("float32") / 255
        x_train = np.expand_dims(x_train, -1)
        x_test = np.expand_dims(x_test, -1)
        y_train = keras.utils.to_categorical(y_train, num_classes)
        y_test = keras.utils.to_categorical(y_test, num_classes)

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)
        """
    assert kc301(src) == []


def test_tf_beginner_tuple_assignment_is_clean() -> None:
    src = """\
        import tensorflow as tf
        mnist = tf.keras.datasets.mnist

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        x_train, x_test = x_train / 255.0, x_test / 255.0

        model = tf.keras.models.Sequential([
          tf.keras.layers.Flatten(input_shape=(28, 28)),
          tf.keras.layers.Dense(128, activation='relu'),
          tf.keras.layers.Dropout(0.2),
          tf.keras.layers.Dense(10)
        ])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer='adam', loss=loss_fn, metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc301(src) == []


def test_keras2_mnist_cnn_with_channel_branches_is_clean() -> None:
    src = """\
        import keras
        from keras.datasets import mnist
        from keras.models import Sequential
        from keras.layers import Dense, Flatten, Conv2D, MaxPooling2D
        from keras import backend as K

        img_rows, img_cols = 28, 28
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        if K.image_data_format() == 'channels_first':
            x_train = x_train.reshape(x_train.shape[0], 1, img_rows, img_cols)
            input_shape = (1, img_rows, img_cols)
        else:
            x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
            input_shape = (img_rows, img_cols, 1)
        x_train = x_train.astype('float32')
        x_train /= 255
        y_train = keras.utils.to_categorical(y_train, 10)

        model = Sequential()
        model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=input_shape))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss=keras.losses.categorical_crossentropy,
                      optimizer=keras.optimizers.Adadelta(), metrics=['accuracy'])
        model.fit(x_train, y_train, batch_size=128, epochs=12, verbose=1)
        """
    assert kc301(src) == []


def test_rescaling_layer_first_or_in_a_nested_preprocessing_model_is_clean() -> None:
    src = """\
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("photos", image_size=(180, 180))

        model = keras.Sequential([
            layers.Rescaling(1. / 255, input_shape=(180, 180, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(5),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=10)

        resize_and_rescale = keras.Sequential([
            layers.Resizing(180, 180),
            layers.Rescaling(1. / 255),
        ])
        model2 = keras.Sequential([
            resize_and_rescale,
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(5),
        ])
        model2.compile(optimizer="adam",
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model2.fit(train_ds, epochs=10)
        """
    assert kc301(src) == []


def test_keras_io_image_classification_from_scratch_is_clean() -> None:
    src = """\
        import keras
        from keras import layers
        from tensorflow import data as tf_data

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "PetImages", validation_split=0.2, subset="both", seed=1337,
            image_size=(180, 180), batch_size=128)

        data_augmentation_layers = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]

        def data_augmentation(images):
            for layer in data_augmentation_layers:
                images = layer(images)
            return images

        train_ds = train_ds.map(lambda img, label: (data_augmentation(img), label),
                                num_parallel_calls=tf_data.AUTOTUNE)

        def make_model(input_shape, num_classes):
            inputs = keras.Input(shape=input_shape)
            x = layers.Rescaling(1.0 / 255)(inputs)
            x = layers.Conv2D(128, 3, strides=2, padding="same")(x)
            x = layers.BatchNormalization()(x)
            x = layers.Activation("relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            outputs = layers.Dense(1, activation=None)(x)
            return keras.Model(inputs, outputs)

        model = make_model(input_shape=(180, 180, 3), num_classes=2)
        model.compile(optimizer=keras.optimizers.Adam(3e-4),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryAccuracy(name="acc")])
        model.fit(train_ds, epochs=25, validation_data=val_ds)
        """
    assert kc301(src) == []


def test_image_data_generator_with_rescale_or_preprocess_input_is_clean() -> None:
    src = """\
        from keras.preprocessing.image import ImageDataGenerator
        from keras.applications.vgg16 import preprocess_input
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense

        datagen = ImageDataGenerator(rescale=1. / 255, horizontal_flip=True)
        train_gen = datagen.flow_from_directory('train', target_size=(150, 150), class_mode='binary')
        vgg_gen = ImageDataGenerator(preprocessing_function=preprocess_input).flow_from_directory('train')

        model = Sequential()
        model.add(Conv2D(32, (3, 3), input_shape=(150, 150, 3), activation='relu'))
        model.add(Flatten())
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit_generator(train_gen, steps_per_epoch=100, epochs=10)
        model.fit(vgg_gen, epochs=10)
        """
    assert kc301(src) == []


def test_tf_data_map_with_cast_and_division_is_clean() -> None:
    src = """\
        import tensorflow as tf

        (x, y), _ = tf.keras.datasets.cifar10.load_data()
        ds = (tf.data.Dataset.from_tensor_slices((x, y))
              .map(lambda x, y: (tf.cast(x, tf.float32) / 255., y))
              .batch(32))

        def normalize_img(image, label):
            return tf.image.convert_image_dtype(image, tf.float32), label

        ds2 = tf.data.Dataset.from_tensor_slices((x, y)).map(normalize_img).batch(32)

        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
            tf.keras.layers.Dense(10, activation='softmax'),
        ])
        model.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])
        model.fit(ds, epochs=5)
        model.fit(ds2, epochs=5)
        """
    assert kc301(src) == []


def test_normalization_map_on_a_directory_dataset_is_clean() -> None:
    src = """\
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("flowers", image_size=(180, 180))
        normalization_layer = tf.keras.layers.Rescaling(1. / 255)
        normalized_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation='relu'),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(5),
        ])
        model.compile(optimizer='adam',
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(normalized_ds, epochs=3)
        """
    assert kc301(src) == []


def test_transfer_learning_on_an_application_base_is_clean() -> None:
    src = """\
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("cats_and_dogs", image_size=(160, 160))
        base_model = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3),
                                                       include_top=False, weights='imagenet')
        base_model.trainable = False

        inputs = tf.keras.Input(shape=(160, 160, 3))
        x = base_model(inputs, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        outputs = tf.keras.layers.Dense(1)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.0001),
                      loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=10)
        """
    assert kc301(src) == []


def test_scaling_inside_the_model_lambda_op_or_call_is_clean() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras.layers import Lambda, Dense, Flatten

        (x_train, y_train), _ = keras.datasets.mnist.load_data()

        lam = keras.Sequential([Lambda(lambda x: x / 255.0, input_shape=(28, 28)), Flatten(), Dense(10)])
        lam.compile('adam', keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        lam.fit(x_train, y_train)

        inputs = keras.Input(shape=(28, 28))
        h = inputs / 255.0
        h = Flatten()(h)
        op = keras.Model(inputs, Dense(10)(h))
        op.compile('adam', keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        op.fit(x_train, y_train)

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.flat = Flatten()
                self.out = Dense(10)

            def call(self, x):
                x = x / 255.0
                return self.out(self.flat(x))

        net = Net()
        net.compile('adam', keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        net.fit(x_train, y_train)
        """
    assert kc301(src) == []


def test_batch_normalization_first_is_clean() -> None:
    src = """\
        from keras.datasets import cifar10
        from keras.models import Sequential
        from keras.layers import BatchNormalization, Conv2D, Flatten, Dense

        (x_train, y_train), (x_test, y_test) = cifar10.load_data()
        model = Sequential()
        model.add(BatchNormalization(input_shape=(32, 32, 3)))
        model.add(Conv2D(32, (3, 3), activation='relu'))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc301(src) == []


def test_helper_functions_and_sentdex_normalize_are_clean() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        def preprocess(images):
            images = images.reshape((-1, 28, 28, 1))
            return images.astype("float32") / 255

        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        x_train = preprocess(x_train)
        x_test = tf.keras.utils.normalize(x_test, axis=1)

        def build_model():
            model = tf.keras.models.Sequential()
            model.add(tf.keras.layers.Flatten())
            model.add(tf.keras.layers.Dense(128, activation=tf.nn.relu))
            model.add(tf.keras.layers.Dense(10, activation=tf.nn.softmax))
            model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
            return model

        model = build_model()
        model.fit(x_train, y_train, epochs=3)
        model.fit(x_test, y_test, epochs=3)
        """
    assert kc301(src) == []


def test_models_built_elsewhere_or_with_several_inputs_are_clean() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras
        from mymodels import build_model

        (x_train, y_train), _ = keras.datasets.mnist.load_data()

        loaded = keras.models.load_model("mnist.h5")
        loaded.fit(x_train, y_train)

        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train)

        image_in = keras.Input(shape=(28, 28))
        meta_in = keras.Input(shape=(3,))
        a = keras.layers.Flatten()(image_in)
        b = keras.layers.Dense(8)(meta_in)
        merged = keras.layers.concatenate([b, a])
        out = keras.layers.Dense(10, activation="softmax")(merged)
        two = keras.Model([image_in, meta_in], out)
        two.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        two.fit([x_train, np.zeros((60000, 3))], y_train)
        """
    assert kc301(src) == []


def test_per_image_scaling_in_a_decode_loop_is_clean() -> None:
    src = """\
        import glob
        import numpy as np
        from PIL import Image
        from keras.models import Sequential
        from keras.layers import Flatten, Dense

        images = []
        for path in glob.glob("faces/*.png"):
            img = np.asarray(Image.open(path).convert("L").resize((48, 48)), dtype="float32")
            images.append(img / 255.0)
        X = np.array(images)
        y = np.zeros(len(images))

        model = Sequential([Flatten(input_shape=(48, 48)), Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, y, epochs=10)
        """
    assert kc301(src) == []


def test_advice_follows_where_the_pixels_are_made() -> None:
    generator = """\
        from keras.preprocessing.image import ImageDataGenerator
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense

        datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True)
        train = datagen.flow_from_directory("data/train", target_size=(64, 64), class_mode="binary")
        model = Sequential([Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)), Flatten(),
                            Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train, epochs=10)
        """
    (finding,) = lint_snippet(generator, select=["KC301"])
    assert "rescale=1./255" in finding.message and "astype" not in finding.message
    directory = """\
        import tensorflow as tf

        train = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(64, 64))
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu"),
                                     tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train, epochs=10)
        """
    (finding,) = lint_snippet(directory, select=["KC301"])
    assert "Rescaling(1.0 / 255)" in finding.message and "ds.map" in finding.message
