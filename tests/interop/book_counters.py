"""Redis in Action 5.2.1-5.2.2 (update_counter, get_counter, update_stats, get_stats), ported to Python 3
and redis-py 4. Used by tests/unit/Counters/InteropTests.cs to check that the book's code and the
module's cmdlets read each other's data.

usage: book_counters.py PORT PREFIX  -> writes PREFIX-py counters/stats, prints JSON of what it reads
"""
import json
import sys
import time
import uuid
from datetime import datetime

import redis

PRECISION = [1, 5, 60, 300, 3600, 18000, 86400]


def update_counter(conn, name, count=1, now=None):
    now = now or time.time()
    pipe = conn.pipeline()
    for prec in PRECISION:
        pnow = int(now / prec) * prec
        hash = '%s:%s' % (prec, name)
        pipe.zadd('known:', {hash: 0})
        pipe.hincrby('count:' + hash, pnow, count)
    pipe.execute()


def get_counter(conn, name, precision):
    hash = '%s:%s' % (precision, name)
    data = conn.hgetall('count:' + hash)
    return sorted((int(key), int(value)) for key, value in data.items())


def update_stats(conn, context, type, value, timeout=5):
    destination = 'stats:%s:%s' % (context, type)
    start_key = destination + ':start'
    pipe = conn.pipeline(True)
    end = time.time() + timeout
    while time.time() < end:
        try:
            pipe.watch(start_key)
            now = datetime.utcnow().timetuple()
            hour_start = datetime(*now[:4]).isoformat()
            existing = pipe.get(start_key)
            pipe.multi()
            if existing and existing.decode() < hour_start:
                pipe.rename(destination, destination + ':last')
                pipe.rename(start_key, destination + ':pstart')
                pipe.set(start_key, hour_start)
            elif not existing:
                pipe.set(start_key, hour_start)
            tkey1 = str(uuid.uuid4())
            tkey2 = str(uuid.uuid4())
            pipe.zadd(tkey1, {'min': value})
            pipe.zadd(tkey2, {'max': value})
            pipe.zunionstore(destination, [destination, tkey1], aggregate='min')
            pipe.zunionstore(destination, [destination, tkey2], aggregate='max')
            pipe.delete(tkey1, tkey2)
            pipe.zincrby(destination, 1, 'count')
            pipe.zincrby(destination, value, 'sum')
            pipe.zincrby(destination, value * value, 'sumsq')
            return pipe.execute()[-3:]
        except redis.exceptions.WatchError:
            continue


def get_stats(conn, context, type):
    key = 'stats:%s:%s' % (context, type)
    data = dict((k.decode(), v) for k, v in conn.zrange(key, 0, -1, withscores=True))
    data['average'] = data['sum'] / data['count']
    numerator = data['sumsq'] - data['sum'] ** 2 / data['count']
    data['stddev'] = (max(numerator, 0) / (data['count'] - 1 or 1)) ** .5
    return data


def main():
    port, prefix = int(sys.argv[1]), sys.argv[2]
    conn = redis.Redis(host='127.0.0.1', port=port)
    update_counter(conn, prefix + '-py', count=2, now=1700000123)
    update_counter(conn, prefix + '-py', count=1, now=1700000190)
    for value in (1.5, 2.5, 8.0):
        update_stats(conn, prefix + '-py', 'Bytes', value)
    print(json.dumps({
        'counter': {str(p): get_counter(conn, prefix + '-ps', p) for p in PRECISION},
        'stats': get_stats(conn, prefix + '-ps', 'Bytes'),
        'known': sorted(m.decode() for m in conn.zrange('known:', 0, -1) if m.decode().endswith(prefix + '-ps')),
    }))


if __name__ == '__main__':
    main()
