# Custom RMSE loss (Keras 2 backend API): the gradient of sqrt(mean squared error) is infinite once a batch's
# error reaches 0, and the weights become NaN -> KC503 on the sqrt.
import pandas as pd
from keras import backend as K
from keras.layers import Dense
from keras.models import Sequential
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def root_mean_squared_error(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


df = pd.read_csv("energy_efficiency.csv")
X = df.drop(columns=["heating_load", "cooling_load"]).values
y = df["heating_load"].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(64, activation="relu", input_dim=X_train.shape[1]))
model.add(Dense(64, activation="relu"))
model.add(Dense(1))
model.compile(optimizer="adam", loss=root_mean_squared_error, metrics=["mae"])
model.fit(X_train, y_train, epochs=200, batch_size=16, validation_data=(X_test, y_test))

print(model.evaluate(X_test, y_test, verbose=0))
