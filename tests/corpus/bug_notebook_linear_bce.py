#!/usr/bin/env python
# coding: utf-8
# Exported Jupyter notebook (tf.keras, with a %matplotlib magic left in): telco churn classifier whose last layer is
# Dense(1) with no activation, trained with 'binary_crossentropy', which expects probabilities -> KC102.

# In[1]:


%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential


# In[2]:


df = pd.read_csv("telco_churn_numeric.csv")
X = df.drop("Churn", axis=1)
y = df["Churn"]
df.head()


# In[3]:


X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)


# In[4]:


model = Sequential()
model.add(Dense(32, activation="relu", input_shape=(X_train.shape[1],)))
model.add(Dense(16, activation="relu"))
model.add(Dense(1))


# In[5]:


model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=50, validation_data=(X_test, y_test), batch_size=32)


# In[6]:


plt.plot(history.history["loss"], label="loss")
plt.plot(history.history["val_loss"], label="val_loss")
plt.legend()
