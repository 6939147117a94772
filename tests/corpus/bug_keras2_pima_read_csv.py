# Machine Learning Mastery "Develop your first neural network" (Keras 1 API) with pandas: raw Pima features
# (glucose ~120, insulin up to ~850) reach fit unscaled (KC302); init= and nb_epoch= are removed Keras 1
# keywords (KC901 on each).
import numpy
import pandas
from keras.layers import Dense
from keras.models import Sequential

seed = 7
numpy.random.seed(seed)

dataframe = pandas.read_csv("pima-indians-diabetes.csv", header=None)
dataset = dataframe.values
X = dataset[:, 0:8]
Y = dataset[:, 8]

model = Sequential()
model.add(Dense(12, input_dim=8, init="uniform", activation="relu"))
model.add(Dense(8, init="uniform", activation="relu"))
model.add(Dense(1, init="uniform", activation="sigmoid"))

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, Y, nb_epoch=150, batch_size=10)

scores = model.evaluate(X, Y)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

predictions = model.predict(X)
rounded = [round(x[0]) for x in predictions]
print(rounded[:20])
