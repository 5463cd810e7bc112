#!/usr/bin/env python3
# Blocking recall and pairs compared of Splink's own blocking rules on
# historical_figures_with_errors_50k, as a reference for docs/matching.md
# section 5 ("what a small fraction is"). Exact equality; an empty value
# never joins (as SQL nulls do not). Run from the repository root:
#   python3 bench/er/splinkref.py
# "example": the ten rules of Splink's example for this data set
# (docs/demos/examples/duckdb/deduplicate_50k_synthetic.ipynb); "gist": the
# five rules of Splink's 3-vs-4 comparison gist (RobinL/c99712c1...).
import csv,collections,sys
rows=list(csv.DictReader(open('../shared/data/er/splink_datasets/historical_figures_with_errors_50k.csv')))
n=len(rows)
def sub(f,a,b): return lambda r: (r[f][a-1:a-1+b] if r[f] else None)
def col(f): return lambda r: (r[f] or None)
sets={
'gist':[[col('postcode_fake'),col('first_name')],[col('first_name'),col('surname')],[col('dob'),sub('postcode_fake',1,2)],[col('postcode_fake'),sub('dob',1,3)],[col('postcode_fake'),sub('dob',4,5)]],
'example':[[sub('first_name',1,3),sub('surname',1,4)],[col('surname'),col('dob')],[col('first_name'),col('dob')],[col('postcode_fake'),col('first_name')],[col('postcode_fake'),col('surname')],[col('dob'),col('birth_place')],[sub('postcode_fake',1,3),col('dob')],[sub('postcode_fake',1,3),col('first_name')],[sub('postcode_fake',1,3),col('surname')],[sub('first_name',1,2),sub('surname',1,2),sub('dob',1,4)]],
}
truth=collections.defaultdict(list)
for i,r in enumerate(rows): truth[r['cluster']].append(i)
tp=sum(len(g)*(len(g)-1)//2 for g in truth.values())
for name,rules in sets.items():
    pairs=set()
    for rule in rules:
        bl=collections.defaultdict(list)
        for i,r in enumerate(rows):
            k=tuple(f(r) for f in rule)
            if None in k or '' in k: continue
            bl[k].append(i)
        for g in bl.values():
            for x in range(len(g)):
                for y in range(x+1,len(g)): pairs.add((g[x],g[y]))
    found=sum(1 for (a,b) in pairs if rows[a]['cluster']==rows[b]['cluster'])
    print(name, 'pairs',len(pairs), 'frac %.4f%%'%(100*len(pairs)/(n*(n-1)/2)), 'recall %.4f'%(found/tp), found, tp)
