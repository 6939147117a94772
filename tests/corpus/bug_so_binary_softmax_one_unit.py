# SO "Keras binary classifier accuracy stuck at 50%" (Keras 2-style imports): Dense(1, activation='softmax')
# always outputs 1.0, so nothing is learned -> KC101 on that layer.
import pandas as pd
from keras.layers import Dense, Dropout
from keras.models import Sequential
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("diabetes.csv")
X = df.drop("Outcome", axis=1).values
y = df["Outcome"].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)

model = Sequential()
model.add(Dense(16, activation="relu", input_dim=8))
model.add(Dropout(0.1))
model.add(Dense(8, activation="relu"))
model.add(Dense(1, activation="softmax"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, batch_size=10, epochs=100, validation_data=(X_test, y_test))

y_pred = model.predict(X_test)
y_pred = y_pred > 0.5
print("accuracy stays at", (y_pred.ravel() == y_test).mean())

model.save("diabetes_model.h5")
