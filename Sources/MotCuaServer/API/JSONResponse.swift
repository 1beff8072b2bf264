import Foundation
import HTTPTypes
import Hummingbird
import MotCuaCore

/// A JSON body encoded the API's way (camelCase, Vietnamese unescaped, sorted keys).
struct JSON<Value: Encodable & Sendable>: ResponseGenerator {
    let value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // A body written very often has a hand-written form: `JSONEncoder` was 40 % of the request
        // thread's time on an inbox page.
        let body = if let writable = value as? any JSONTextWritable {
            ByteBuffer(bytes: writable.jsonText(capacity: 4096).bytes)
        } else {
            ByteBuffer(bytes: try JSONCoding.encoder.encode(value))
        }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

/// A page of a list: `items` and, when there is more, an opaque `nextCursor`.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let nextCursor: String?
}

extension Page: JSONTextWritable where Item: JSONTextWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("items", items)
            json.field("nextCursor", nextCursor)
        }
    }
}

/// `?limit=` (default 50, max 200) and `?cursor=`; the cursor is opaque to clients.
struct Paging {
    let limit: Int
    let after: String?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let text = query["limit"] {
            guard let limit = Int(String(text)), (1...200).contains(limit) else {
                throw Problem.validation([.init(path: "limit", code: "range", message: "limit phải từ 1 đến 200")])
            }
            self.limit = limit
        } else {
            limit = 50
        }
        if let cursor = query["cursor"] {
            guard let data = Data(base64URL: String(cursor)), let after = String(data: data, encoding: .utf8) else {
                throw Problem.validation([.init(path: "cursor", code: "invalid", message: "cursor không hợp lệ")])
            }
            self.after = after
        } else {
            after = nil
        }
    }

    /// Call with one more item than `limit` fetched: drops it and makes the cursor from the last kept.
    func page<Item>(_ fetched: [Item], key: (Item) -> String) -> Page<Item> {
        guard fetched.count > limit else { return Page(items: fetched, nextCursor: nil) }
        let items = Array(fetched.prefix(limit))
        return Page(items: items, nextCursor: Data(key(items[items.count - 1]).utf8).base64URL)
    }
}
