# House prices from a CSV: the features are standardised but the price column is left in dollars,
# and the output layer is a sigmoid, which can never exceed 1 (KC112).
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout

df = pd.read_csv("kc_house_data.csv")
df = df.dropna()
features = ["bedrooms", "bathrooms", "sqft_living", "sqft_lot", "floors", "grade", "yr_built"]
X = df[features].values
y = df["price"].values

scaler = StandardScaler()
X = scaler.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

model = Sequential()
model.add(Dense(128, activation="relu", input_shape=(len(features),)))
model.add(Dropout(0.2))
model.add(Dense(64, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="mean_absolute_error")
model.fit(X_train, y_train, epochs=100, batch_size=64, validation_data=(X_test, y_test))
