# SO "sigmoid or softmax for multi-class?" (tf.keras): five sigmoid units trained with categorical_crossentropy;
# the loss renormalises the outputs and only sees their ratios, so the sigmoids never become class
# probabilities (they typically all drift towards 1) -> KC110.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.2)
train_gen = datagen.flow_from_directory(
    "flowers", target_size=(150, 150), batch_size=32, class_mode="categorical", subset="training"
)
val_gen = datagen.flow_from_directory(
    "flowers", target_size=(150, 150), batch_size=32, class_mode="categorical", subset="validation"
)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(150, 150, 3)),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Conv2D(128, (3, 3), activation="relu"),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dense(5, activation="sigmoid"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(train_gen, validation_data=val_gen, epochs=15)

print(model.predict(val_gen)[:3])  # every class close to 1.0
