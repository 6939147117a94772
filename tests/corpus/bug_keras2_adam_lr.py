# Keras 2 script: Adam(lr=0.5) is both far too high for Adam (KC201) and the removed 'lr' keyword (KC205);
# fit(..., nb_epoch=...) is the removed Keras 1 epochs keyword (KC901).
import numpy as np
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import Adam
from sklearn.preprocessing import StandardScaler

data = np.loadtxt("data_banknote_authentication.txt", delimiter=",")
X = data[:, :4]
Y = data[:, 4]
X = StandardScaler().fit_transform(X)

model = Sequential()
model.add(Dense(16, input_dim=4, activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(8, activation="relu"))
model.add(Dense(1, activation="sigmoid"))

adam = Adam(lr=0.5)
model.compile(loss="binary_crossentropy", optimizer=adam, metrics=["accuracy"])
model.fit(X, Y, validation_split=0.33, nb_epoch=150, batch_size=10, verbose=0)

scores = model.evaluate(X, Y, verbose=0)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

model_json = model.to_json()
with open("banknote_model.json", "w") as json_file:
    json_file.write(model_json)
model.save_weights("banknote_model.h5")
print("Saved model to disk")
