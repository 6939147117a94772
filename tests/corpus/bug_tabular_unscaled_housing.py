# House-price regression from a CSV (tf.keras): raw features (square feet ~2000, years ~1990, lat/long) go
# straight into the network, no scaler and no Normalization layer -> KC302 on fit's x.
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

df = pd.read_csv("kc_house_data.csv")
df = df.drop(columns=["id", "date", "zipcode"])
X = df.drop("price", axis=1).values
y = df["price"].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=101)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(19, activation="relu"),
        tf.keras.layers.Dense(19, activation="relu"),
        tf.keras.layers.Dense(19, activation="relu"),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(x=X_train, y=y_train, validation_data=(X_test, y_test), batch_size=128, epochs=400)

import matplotlib.pyplot as plt
import pandas as pd

losses = pd.DataFrame(model.history.history)
losses.plot()
plt.show()

predictions = model.predict(X_test)
print(pd.DataFrame({"predicted": predictions.ravel(), "true": y_test}).head(10))
