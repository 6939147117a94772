# Dense autoencoder on MNIST: the images are never scaled, so the inputs are raw pixels (KC301) and
# the reconstruction targets lie in [0, 255] while the decoder ends in a sigmoid (KC112).
from keras.datasets import mnist
from keras.layers import Input, Dense
from keras.models import Model

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype("float32").reshape((len(x_train), 784))
x_test = x_test.astype("float32").reshape((len(x_test), 784))

input_img = Input(shape=(784,))
encoded = Dense(128, activation="relu")(input_img)
encoded = Dense(32, activation="relu")(encoded)
decoded = Dense(128, activation="relu")(encoded)
decoded = Dense(784, activation="sigmoid")(decoded)

autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(x_train, x_train, epochs=50, batch_size=256, shuffle=True,
                validation_data=(x_test, x_test))
