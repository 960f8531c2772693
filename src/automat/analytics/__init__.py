"""Analytics: render, CAD and order figures computed in SQL over the rollup tables."""
