# Iris from a CSV: the species column is one-hot encoded with OneHotEncoder, put in a DataFrame and
# sliced back out with iloc, then trained with sparse_categorical_crossentropy, which expects one
# integer class per row ("logits and labels must have the same first dimension") (KC108).
import pandas as pd
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

df = pd.read_csv("iris.csv")
X = StandardScaler().fit_transform(df.iloc[:, 0:4].values)

encoder = OneHotEncoder()
encoded = encoder.fit_transform(df[["species"]]).toarray()
labels = pd.DataFrame(encoded, columns=encoder.categories_[0])
y = labels.iloc[:, 0:3].values

model = Sequential()
model.add(Dense(16, activation="relu", input_shape=(4,)))
model.add(Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=100, batch_size=8, validation_split=0.2)
