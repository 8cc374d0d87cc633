"""The report's computations, on the processed tables (data/processed/) and the reference tables.

Modules:
- tables        read processed tables with their contract types ('NA' stays a flag, not NaN)
- shares        focus country's share of a world total, flags carried through (interval arithmetic);
                snapshot/pick_year; BGS shares on one basis
- concentration HHI and top-3 share, the unlisted remainder as lower/upper bounds
- editions      chain MCS editions: newest edition wins, earlier values and `revised` kept
- reserves      reserves share, reserves-to-production years
- imports       U.S. net import reliance (bounds, E), import-source shares, Comtrade shares
- controls      export-control events joined with U.S. dependence
- reference     the committed reference tables (export-control events, new capacity, names)
- profile       everything one per-mineral page shows, with a list of what is missing

Glossary:
- NIR: net import reliance, USGS's (imports - exports +/- stock changes) as % of apparent
  consumption. '>95' / '>50' are bounds USGS prints to avoid disclosing company data; 'E' means
  the U.S. is a net exporter. A bound is drawn as a bound, E as a label, never as 0.
- REO: rare-earth oxide equivalent, the basis of USGS rare-earth tonnages.
- HHI: Herfindahl–Hirschman index, sum of squared % shares (0–10,000); < 1,500 low,
  1,500–2,500 moderate, > 2,500 high.
- Top-3 share: combined % share of the three largest producers.
- Flags: W withheld (company data), NA not available, XX not applicable, E net exporter,
  e/estimated (USGS estimate), '>' '<' bounds, 'range' low–high. A share with a W/NA side is not
  computed and says why; a bound makes the share a bound.
"""
