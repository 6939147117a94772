# Tabular 3-class classifier (tf.keras, Keras-2-era add() style): Dense -> BatchNormalization -> Activation
# blocks (the activation comes after BN, it is not missing), Dense(3) + Activation('softmax') head with
# sparse_categorical_crossentropy, StandardScaler on read_csv features. Correct program: no findings.
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler
from tensorflow.keras.callbacks import ReduceLROnPlateau
from tensorflow.keras.layers import Activation, BatchNormalization, Dense, Dropout
from tensorflow.keras.models import Sequential
from tensorflow.keras.optimizers import Adam

df = pd.read_csv("wine_quality_3class.csv")
X = df.drop("quality_label", axis=1)
y = LabelEncoder().fit_transform(df["quality_label"])  # 0, 1, 2

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(128, input_shape=(X_train.shape[1],)))
model.add(BatchNormalization())
model.add(Activation("relu"))
model.add(Dense(64))
model.add(BatchNormalization())
model.add(Activation("relu"))
model.add(Dropout(0.3))
model.add(Dense(3))
model.add(Activation("softmax"))

model.compile(optimizer=Adam(learning_rate=0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3)
model.fit(X_train, y_train, validation_split=0.1, epochs=60, batch_size=32, callbacks=[reduce_lr])
print(model.evaluate(X_test, y_test))
