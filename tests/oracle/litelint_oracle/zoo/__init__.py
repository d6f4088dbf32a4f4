"""The fixture zoo: small TensorFlow/Keras models built in code with fixed seeds."""
