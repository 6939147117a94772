# Keras 1 script (2016) for a smile detector: Keras 1 Convolution2D(n, rows, cols) calls, whose third number is
# now the stride (KC902 on each), and the Keras 1 keywords border_mode, subsample, output_dim, init,
# W_regularizer and nb_epoch (KC901 on each keyword's line).
import numpy as np
from keras.layers import Convolution2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.regularizers import l2

X_train = np.load("smiles_64x64.npy").astype("float32") / 255.0
y_train = np.load("smiles_labels.npy")

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode="same", activation="relu", input_shape=(64, 64, 3)))
model.add(Convolution2D(64, 3, 3, subsample=(2, 2), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(output_dim=128, init="he_normal", W_regularizer=l2(0.01), activation="relu"))
model.add(Dense(output_dim=1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, y_train, nb_epoch=25, batch_size=32, validation_split=0.1)

X_test = np.load("smiles_test_64x64.npy").astype("float32") / 255.0
y_test = np.load("smiles_test_labels.npy")
score = model.evaluate(X_test, y_test, verbose=0)
print("Test score:", score[0])
print("Test accuracy:", score[1])

json_string = model.to_json()
with open("smile_model.json", "w") as f:
    f.write(json_string)
model.save_weights("smile_model_weights.h5")
