"""Language identification: text cleaning, script evidence, fastText lid.176, word lists, priors."""
