# SO "val_acc never changes" (tf.keras): Dense(1) followed by Activation('softmax') is a softmax over one unit
# -> KC101, reported on the Activation layer.
from tensorflow.keras.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
val_datagen = ImageDataGenerator(rescale=1.0 / 255)
train_gen = train_datagen.flow_from_directory(
    "chest_xray/train", target_size=(128, 128), batch_size=32, class_mode="binary"
)
val_gen = val_datagen.flow_from_directory("chest_xray/val", target_size=(128, 128), batch_size=32, class_mode="binary")

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(128, 128, 3)))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(128, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(1))
model.add(Activation("softmax"))

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(train_gen, epochs=20, validation_data=val_gen)

val_loss, val_acc = model.evaluate(val_gen)
print("val accuracy:", val_acc)  # always the share of the positive class
probs = model.predict(val_gen)
print("distinct predictions:", set(probs.ravel().round(3)))  # {1.0}
model.save("xray_cnn.keras")
