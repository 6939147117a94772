# ImageDataGenerator with augmentation but no rescale= (tf.keras, Keras 2-era imports): the generators yield
# 0-255 pixels and the CNN plateaus at chance -> KC301 on fit's x.
from tensorflow.keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_datagen = ImageDataGenerator(
    rotation_range=20,
    width_shift_range=0.1,
    height_shift_range=0.1,
    horizontal_flip=True,
)
val_datagen = ImageDataGenerator()

train_generator = train_datagen.flow_from_directory(
    "dataset/train", target_size=(224, 224), batch_size=32, class_mode="categorical"
)
validation_generator = val_datagen.flow_from_directory(
    "dataset/val", target_size=(224, 224), batch_size=32, class_mode="categorical"
)

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(224, 224, 3)))
model.add(MaxPooling2D(2, 2))
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(MaxPooling2D(2, 2))
model.add(Conv2D(128, (3, 3), activation="relu"))
model.add(MaxPooling2D(2, 2))
model.add(Flatten())
model.add(Dense(256, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(train_generator.num_classes, activation="softmax"))

model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(train_generator, epochs=30, validation_data=validation_generator)
