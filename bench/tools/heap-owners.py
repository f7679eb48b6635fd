#!/usr/bin/env python3
"""Per-connection heap of an edge, by owner, from a heap dump (docs/benchmarks.md, "Idle connections: heap by owner").

Usage: heap-owners.py EDGE.hprof CONNECTIONS

Take the dump with `jcmd <edge pid> GC.heap_dump <file>` while `./roomcast bench connections` holds its
connections open. Each object is counted once, under the first owner that reaches it, in this order:
the socket (XNIO's connection, its conduits and the JDK's channel), Undertow's WebSocket channel,
Undertow's HTTP connection, Roomcast's session, Roomcast's read side (its Connection and FrameReader). A walk does not enter
another owner's root, objects of classes with fewer instances than connections / 2 (shared by all
connections) or arrays above 4 KB. Sizes assume compressed references (a heap under 32 GB).
"""
import collections
import struct
import sys

SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
OWNERS = [
    ("socket (XNIO, JDK)", "org.xnio.nio.NioSocketStreamConnection"),
    ("Undertow WebSocket channel", "io.undertow.websockets.core.protocol.version13.WebSocket13Channel"),
    ("Undertow HTTP connection", "io.undertow.server.protocol.http.HttpServerConnection"),
    ("Roomcast session", "io.roomcast.edge.session.Session"),
    ("Roomcast read side", "io.roomcast.edge.session.Connection"),
]


def main(path, connections):
    data = open(path, "rb").read()
    p = data.index(b"\0") + 1
    if struct.unpack_from(">I", data, p)[0] != 8:
        sys.exit("only dumps with 8-byte identifiers are read")
    p += 12
    rid = lambda o: struct.unpack_from(">Q", data, o)[0]
    names, class_name_id, classes, inst, oarr, parr = {}, {}, {}, {}, {}, {}
    while p < len(data):
        tag, length = data[p], struct.unpack_from(">I", data, p + 5)[0]
        p += 9
        end = p + length
        if tag == 0x01:
            names[rid(p)] = data[p + 8:end].decode("utf8", "replace")
        elif tag == 0x02:
            class_name_id[rid(p + 4)] = rid(p + 16)
        elif tag in (0x0C, 0x1C):
            q = p
            while q < end:
                t = data[q]
                q += 1
                if t in (0xFF, 0x05, 0x07):
                    q += 8
                elif t in (0x01, 0x02, 0x03, 0x08):
                    q += 16
                elif t in (0x04, 0x06):
                    q += 12
                elif t == 0x20:
                    cid, sup = rid(q), rid(q + 12)
                    q += 64
                    cp = struct.unpack_from(">H", data, q)[0]
                    q += 2
                    for _ in range(cp):
                        q += 3 + SIZES[data[q + 2]]
                    statics = struct.unpack_from(">H", data, q)[0]
                    q += 2
                    for _ in range(statics):
                        q += 9 + SIZES[data[q + 8]]
                    count = struct.unpack_from(">H", data, q)[0]
                    q += 2
                    fields = []
                    for _ in range(count):
                        fields.append(data[q + 8])
                        q += 9
                    classes[cid] = (sup, fields)
                elif t == 0x21:
                    n = struct.unpack_from(">I", data, q + 20)[0]
                    inst[rid(q)] = (rid(q + 12), q + 24)
                    q += 24 + n
                elif t == 0x22:
                    n = struct.unpack_from(">I", data, q + 12)[0]
                    oarr[rid(q)] = (rid(q + 16), q + 24, n)
                    q += 24 + n * 8
                elif t == 0x23:
                    n, ty = struct.unpack_from(">I", data, q + 12)[0], data[q + 16]
                    parr[rid(q)] = (ty, n)
                    q += 17 + n * SIZES[ty]
                else:
                    sys.exit("unknown heap dump record %#x" % t)
        p = end

    cname = lambda cid: names.get(class_name_id.get(cid), "?").replace("/", ".")
    layouts = {}

    def layout(cid):
        if cid not in layouts:
            fields, c = [], cid
            while c in classes:
                fields.extend(classes[c][1])
                c = classes[c][0]
            layouts[cid] = fields
        return layouts[cid]

    def kind(o):
        if o in inst:
            return cname(inst[o][0])
        if o in oarr:
            return cname(oarr[o][0])
        if o in parr:
            return "primitive[%d]" % parr[o][0]
        return None

    def size_and_refs(o):
        if o in inst:
            cid, off = inst[o]
            size, refs = 12, []
            for ty in layout(cid):
                if ty == 2:
                    v = rid(off)
                    if v:
                        refs.append(v)
                    size += 4
                else:
                    size += SIZES[ty]
                off += SIZES[ty]
            return (size + 7) // 8 * 8, refs
        if o in oarr:
            _, off, n = oarr[o]
            return (16 + 4 * n + 7) // 8 * 8, [v for v in (rid(off + 8 * i) for i in range(n)) if v]
        ty, n = parr[o]
        return (16 + SIZES[ty] * n + 7) // 8 * 8, []

    population = collections.Counter(kind(o) for o in list(inst) + list(oarr) + list(parr))
    roots = {cls for _, cls in OWNERS}
    seen = set()
    for owner, root_class in OWNERS:
        total, by_class = 0, collections.Counter()
        for o, (cid, _) in inst.items():
            if cname(cid) != root_class:
                continue
            stack = [o]
            while stack:
                x = stack.pop()
                k = kind(x)
                if x in seen or k is None or k == "java.lang.Class" or population[k] < connections // 2:
                    continue
                if x != o and k in roots:
                    continue
                size, refs = size_and_refs(x)
                if size > 4096:
                    continue
                seen.add(x)
                total += size
                by_class[k] += size
                stack.extend(refs)
        print("%-28s %6.0f bytes per connection" % (owner, total / connections))
        for k, v in by_class.most_common(8):
            print("    %6.0f  %s" % (v / connections, k))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
