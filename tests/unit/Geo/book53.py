# The book's section 5.3 code (Redis in Action, listings 5.9-5.12), ported to Python 3 / redis-py 4
# only where the language forces it: text-mode csv with latin-1 instead of 'rb' + decode, and
# zadd's mapping form. Used by BookInteropTests to check that our layout is the book's.
#   book53.py import HOST PORT DB BLOCKS_CSV LOCATIONS_CSV
#   book53.py find HOST PORT DB IP...      -> one JSON line per IP (null when not found)
import csv
import json
import sys

import redis


def ip_to_score(ip_address):
    score = 0
    for v in ip_address.split('.'):
        score = score * 256 + int(v, 10)
    return score


def import_ips_to_redis(conn, filename):
    csv_file = csv.reader(open(filename, 'r', newline='', encoding='latin-1'))
    for count, row in enumerate(csv_file):
        start_ip = row[0] if row else ''
        if 'i' in start_ip.lower():
            continue
        if '.' in start_ip:
            start_ip = ip_to_score(start_ip)
        elif start_ip.isdigit():
            start_ip = int(start_ip, 10)
        else:
            continue
        city_id = row[2] + '_' + str(count)
        conn.zadd('ip2cityid:', {city_id: start_ip})


def import_cities_to_redis(conn, filename):
    for row in csv.reader(open(filename, 'r', newline='', encoding='latin-1')):
        if len(row) < 4 or not row[0].isdigit():
            continue
        city_id = row[0]
        country = row[1]
        region = row[2]
        city = row[3]
        conn.hset('cityid2city:', city_id, json.dumps([city, region, country]))


def find_city_by_ip(conn, ip_address):
    if isinstance(ip_address, str):
        ip_address = ip_to_score(ip_address)
    city_id = conn.zrevrangebyscore('ip2cityid:', ip_address, 0, start=0, num=1)
    if not city_id:
        return None
    city_id = city_id[0].partition('_')[0]
    return json.loads(conn.hget('cityid2city:', city_id))


if __name__ == '__main__':
    conn = redis.Redis(host=sys.argv[2], port=int(sys.argv[3]), db=int(sys.argv[4]), decode_responses=True)
    if sys.argv[1] == 'import':
        import_ips_to_redis(conn, sys.argv[5])
        import_cities_to_redis(conn, sys.argv[6])
    else:
        for ip in sys.argv[5:]:
            print(json.dumps(find_city_by_ip(conn, ip)))
