"""An article's figures, checked: read the article and cut its site navigation (article), find
every figure (extract), map each to a query on the processed tables by explicit rules (mapper, with
names, hedges and anchor for names, hedge words and dates), look the published figure up (check,
measures, imports) and give a verdict under one tolerance rule (verify); run.py ties it together
for notebook 60 and `python -m critmin.claims check`. The seed's reviewed claims table
(data/reference/article_claims.csv, read by table) overrides the rules where it applies."""
