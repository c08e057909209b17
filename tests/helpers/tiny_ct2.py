"""The tiny CTranslate2 model builder lives in nlp/translate/tiny_model.py so bench/ can use it too."""

from nlp.translate.tiny_model import _corpus, build_tiny_model, train_tiny_spm

__all__ = ["_corpus", "build_tiny_model", "train_tiny_spm"]
