# tf.data input pipeline (tf.keras): CIFAR-10 arrays go through Dataset.map(preprocess) that casts and divides
# by 255, conv blocks built by a helper, Dense(10) logits + SparseCategoricalCrossentropy(from_logits=True),
# AdamW with CosineDecay from 1e-3. Correct program: no findings.
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
BATCH = 128
EPOCHS = 40

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()


def preprocess(image, label):
    image = tf.cast(image, tf.float32) / 255.0
    return image, label


def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=0.1)
    return image, label


train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(50000)
    .map(preprocess, num_parallel_calls=AUTOTUNE)
    .map(augment, num_parallel_calls=AUTOTUNE)
    .batch(BATCH)
    .prefetch(AUTOTUNE)
)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).map(preprocess).batch(BATCH)


def conv_block(x, filters):
    x = tf.keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = tf.keras.layers.BatchNormalization()(x)
    return tf.keras.layers.ReLU()(x)


inputs = tf.keras.Input(shape=(32, 32, 3))
x = conv_block(inputs, 64)
x = conv_block(x, 64)
x = tf.keras.layers.MaxPooling2D()(x)
x = conv_block(x, 128)
x = conv_block(x, 128)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
outputs = tf.keras.layers.Dense(10)(x)
model = tf.keras.Model(inputs, outputs)

steps = EPOCHS * (50000 // BATCH)
schedule = tf.keras.optimizers.schedules.CosineDecay(initial_learning_rate=1e-3, decay_steps=steps)
model.compile(
    optimizer=tf.keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(train_ds, epochs=EPOCHS, validation_data=test_ds)
