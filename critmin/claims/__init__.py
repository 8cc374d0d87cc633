"""The article's figures: read the article and cut its site navigation (article), find every
figure (extract), keep the claims in our own words (table, data/reference/article_claims.csv),
check them against the processed USGS tables under one tolerance rule (check), and shape what
notebook 60 shows and writes (report)."""
