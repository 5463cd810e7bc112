"""Nameless blocking keys on historical_50k, measured before building them.

Usage (from the repository root):
  go run ./bench/er -missed /tmp/missed.tsv historical
  python3 bench/er/namelesskeys.py /tmp/missed.tsv [KIND ...]

For each candidate key kind (occupation + birth year, postcode area + year,
city + occupation, a name word's first letter + year, ...) it prints how many
of the true pairs vigil's blocking misses the key would join, with blocks of
at most 50 and 200 records, and how many pairs those blocks hold (an upper
bound on what the key adds: pairs other keys already compare are counted
too). docs/matching.md section 5 gives the figures of session 5.
"""
import collections
import csv
import re
import sys
recs = {}
for r in csv.DictReader(open('../shared/data/er/splink_datasets/historical_figures_with_errors_50k.csv')):
    recs[r['unique_id']] = r
def words(r):
    s = ' '.join([r['full_name'] or '', r['first_name'] or '', r['surname'] or ''])
    return [w for w in re.findall(r'[a-z]+', s.lower()) if len(w) >= 2]
def year(r):
    d = r['dob'] or ''
    return int(d[:4]) if len(d) >= 4 and d[:4].isdigit() else None
def pcarea(r):
    p = (r['postcode_fake'] or '').lower()
    m = re.match(r'[a-z]+', p)
    return m.group(0) if m else None
def citywords(r):
    return [w for w in re.findall(r'[a-z]+', (r['birth_place'] or '').lower()) if len(w) >= 3]
occ = lambda r: (r['occupation'] or '').lower() or None
gend = lambda r: (r['gender'] or '').lower() or None
def keys(r, kind):
    y = year(r); o = occ(r); ws = words(r); g = gend(r); pa = pcarea(r); cw = citywords(r)
    out = set()
    if kind == 'occ_year' and o and y: out.add((o, y))
    if kind == 'occ_year2' and o and y: out |= {(o, y//2), (o, 'b', (y+1)//2)}
    if kind == 'occ_decade_g' and o and y and g: out.add((o, y//10, g))
    if kind == 'init_year' and y:
        for w in ws: out.add((w[0], y))
    if kind == 'init_yearwin' and y:
        for w in ws: out |= {(w[0], y//2), (w[0], 'b', (y+1)//2)}
    if kind == 'pre3_decade' and y:
        for w in ws:
            if len(w) >= 3: out.add((w[:3], y//10))
    if kind == 'pc_year' and pa and y: out.add((pa, y))
    if kind == 'pcarea_occ' and pa and o: out.add((pa, o))
    if kind == 'city_decade' and y:
        for c in cw: out.add((c, y//10))
    if kind == 'city_occ' and o:
        for c in cw: out.add((c, o))
    if kind == 'pre4':
        for w in ws:
            if len(w) >= 4: out.add(w[:4])
    if kind == 'year5occ' and o and y: out.add((o, y//5))
    return out
missed = []
lines = open(sys.argv[1]).read().split('\n\n')
for blk in lines:
    ls = [l for l in blk.split('\n') if l.strip()]
    if len(ls) == 2:
        missed.append((ls[0].split('\t')[0], ls[1].split('\t')[0]))
print('missed', len(missed))
N = len(recs); total = N*(N-1)//2
kinds = sys.argv[2:] or ['occ_year', 'pc_year', 'city_occ', 'pcarea_occ', 'city_decade', 'init_year', 'init_yearwin', 'pre3_decade', 'pre4', 'occ_year2', 'occ_decade_g', 'year5occ']
for kind in kinds:
  for cap in (50, 200):
    idx = collections.defaultdict(list)
    for i, r in recs.items():
        for k in keys(r, kind): idx[k].append(i)
    ok = {k for k, v in idx.items() if len(v) <= cap}
    pairs = sum(len(v)*(len(v)-1)//2 for k, v in idx.items() if k in ok)
    caught = sum(1 for a, b in missed if keys(recs[a], kind) & keys(recs[b], kind) & ok)
    print(f'{kind:14s} cap {cap:4d}: catches {caught:5d} missed pairs ({caught/303961*100:.2f}% of true), pairs {pairs} ({pairs/total*100:.3f}%)')

def union(spec):
    oks = {}
    allpairs = set()
    for kind, cap in spec:
        idx = collections.defaultdict(list)
        for i, r in recs.items():
            for k in keys(r, kind): idx[(kind,)+ (k if isinstance(k, tuple) else (k,))].append(i)
        for k, v in idx.items():
            if len(v) <= cap:
                oks[k] = True
                if len(v) > 1:
                    v = sorted(v)
                    for x in range(len(v)):
                        for y in range(x+1, len(v)):
                            allpairs.add((v[x], v[y]))
    caught = 0
    for a, b in missed:
        ka = {(kind,)+(k if isinstance(k, tuple) else (k,)) for kind, cap in spec for k in keys(recs[a], kind)}
        kb = {(kind,)+(k if isinstance(k, tuple) else (k,)) for kind, cap in spec for k in keys(recs[b], kind)}
        if any(k in oks for k in ka & kb): caught += 1
    print(spec, 'union catches', caught, f'({caught/303961*100:.2f}% of true) new-key pairs (dedup among new keys) {len(allpairs)} ({len(allpairs)/total*100:.3f}%)')

if __name__ == '__main__' and len(sys.argv) == 2:
    union([('occ_year', 200), ('pc_year', 200), ('city_occ', 200), ('pcarea_occ', 200), ('city_decade', 50)])
