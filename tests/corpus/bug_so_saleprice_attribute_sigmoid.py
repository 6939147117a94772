# Kaggle house prices: SalePrice (dollars) read as df.SalePrice is predicted through a sigmoid, so every
# prediction sticks at 1.0 (KC112). The features are min-max scaled, the target is not.
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense

train = pd.read_csv("train.csv")
train = train.select_dtypes(include="number").fillna(0)
y = train.SalePrice.values
X = train.drop("SalePrice", axis=1).values
X = MinMaxScaler().fit_transform(X)

model = Sequential()
model.add(Dense(100, input_dim=X.shape[1], activation="relu"))
model.add(Dense(50, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="mean_squared_logarithmic_error", optimizer="adam")
model.fit(X, y, epochs=50, batch_size=32, validation_split=0.2)
