#!/usr/bin/env python
# coding: utf-8
# Jupyter notebook exported with nbconvert: CIFAR-10 CNN (tf.keras), /255 scaling, to_categorical labels,
# softmax head + categorical_crossentropy. Correct program: no findings.

# # Convolutional Neural Network (CNN)

# In[1]:


import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow.keras import datasets, layers, models


# In[2]:


(train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()

# Normalize pixel values to be between 0 and 1
train_images, test_images = train_images / 255.0, test_images / 255.0
train_labels = tf.keras.utils.to_categorical(train_labels, 10)
test_labels = tf.keras.utils.to_categorical(test_labels, 10)


# In[3]:


model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))


# In[4]:


model.add(layers.Flatten())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(10, activation="softmax"))
model.summary()


# In[5]:


model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

history = model.fit(train_images, train_labels, epochs=10, validation_data=(test_images, test_labels))


# In[6]:


plt.plot(history.history["accuracy"], label="accuracy")
plt.plot(history.history["val_accuracy"], label="val_accuracy")
plt.xlabel("Epoch")
plt.legend(loc="lower right")
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print(test_acc)
