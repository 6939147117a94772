# Stack Overflow style: "TypeError: add() got an unexpected keyword argument 'input_shape'".
# Bug: the closing parenthesis of the first Conv2D is misplaced, so input_shape= goes to
# model.add() (KC413).
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout
from keras.preprocessing.image import ImageDataGenerator

train_datagen = ImageDataGenerator(rescale=1. / 255, shear_range=0.2, zoom_range=0.2,
                                   horizontal_flip=True)
train_generator = train_datagen.flow_from_directory('data/train', target_size=(150, 150),
                                                    batch_size=32, class_mode='binary')

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu'), input_shape=(150, 150, 3))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(1, activation='sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
model.fit(train_generator, steps_per_epoch=100, epochs=30)
