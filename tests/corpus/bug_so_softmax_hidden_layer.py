# A softmax in a hidden layer squeezes the representation into a distribution before the next layer
# (KC403).
import pandas as pd
from sklearn.preprocessing import StandardScaler
from keras.models import Sequential
from keras.layers import Dense

df = pd.read_csv("churn.csv").dropna()
X = StandardScaler().fit_transform(df.drop("Exited", axis=1).values)
y = df["Exited"].values

model = Sequential()
model.add(Dense(32, activation="relu", input_dim=X.shape[1]))
model.add(Dense(16, activation="softmax"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X, y, batch_size=32, epochs=100)
