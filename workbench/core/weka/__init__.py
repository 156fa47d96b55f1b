"""WEKA's Java behaviour that our results must match bit for bit, in one kit for every
layer: ``java.util.Random`` (``javarandom``: WEKA's shuffles, folds and weight
initialisations) and Java's number formatting (``javaformat``: the numbers in WEKA's
reports and model texts). Learners, filters and the evaluation import it from here, so
there is exactly one copy of each."""
