"""What a teacher and a student see: step-by-step derivations
(:mod:`~symconv.teaching.derivation`, rendered by :mod:`~symconv.teaching.render`), answer
checking region by region (:mod:`~symconv.teaching.check`) and grading a class
(:mod:`~symconv.teaching.grade`)."""
