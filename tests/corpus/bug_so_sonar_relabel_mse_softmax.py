# Sonar rocks vs mines: string labels relabelled in place to 0/1, then a two-unit softmax trained with
# mean squared error on the integer labels (KC107).
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from keras.models import Sequential
from keras.layers import Dense

df = pd.read_csv("sonar.csv", header=None)
X = StandardScaler().fit_transform(df.values[:, 0:60].astype(float))
Y = np.array(df.values[:, 60])
Y[Y == "R"] = 0
Y[Y == "M"] = 1

model = Sequential()
model.add(Dense(60, input_dim=60, activation='relu'))
model.add(Dense(2, activation='softmax'))
model.compile(loss='mse', optimizer='adam', metrics=['accuracy'])
model.fit(X, Y, epochs=100, batch_size=5)
