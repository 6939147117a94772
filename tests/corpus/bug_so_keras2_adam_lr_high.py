# Keras 2 tutorial code run on a current Keras: Adam(lr=0.1) is both far above what Adam tolerates
# (KC201) and the removed lr= keyword (KC205); nb_epoch= is gone too (KC901), and the raw Pima
# columns (insulin up to 846, pedigree below 2.5) are never scaled (KC302).
import numpy
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

dataset = numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",")
X = dataset[:, 0:8]
Y = dataset[:, 8]

model = Sequential()
model.add(Dense(12, input_dim=8, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer=Adam(lr=0.1), metrics=['accuracy'])
model.fit(X, Y, nb_epoch=150, batch_size=10)
