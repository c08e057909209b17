"""Machine translation: CTranslate2 engine, model catalog, glossary enforcement, protected spans."""
