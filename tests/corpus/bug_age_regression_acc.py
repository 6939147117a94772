# Age regression from face crops (tf.keras, flow_from_dataframe with class_mode='raw', rescaled pixels): trained
# with mean_absolute_error but monitored with 'acc', which stays ~0 for real-valued ages -> KC106 on 'acc'.
import pandas as pd
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

df = pd.read_csv("utkface_ages.csv")  # columns: filename, age
datagen = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.2)
train_gen = datagen.flow_from_dataframe(
    df, directory="UTKFace", x_col="filename", y_col="age", target_size=(128, 128),
    class_mode="raw", batch_size=64, subset="training",
)
val_gen = datagen.flow_from_dataframe(
    df, directory="UTKFace", x_col="filename", y_col="age", target_size=(128, 128),
    class_mode="raw", batch_size=64, subset="validation",
)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(128, 128, 3)),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(128, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mean_absolute_error", metrics=["acc"])
model.fit(train_gen, validation_data=val_gen, epochs=25)
