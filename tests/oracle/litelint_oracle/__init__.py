"""Test oracle for litelint: real TensorFlow and LiteRT decide what is right (#4)."""
