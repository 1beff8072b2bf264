import Foundation
import Hummingbird

/// `/static/…`: the stylesheet and the little script, from the bundle (no CDN, no font service).
enum StaticFiles {
    static let files: [String: (contentType: String, bytes: ByteBuffer)] = {
        var files: [String: (String, ByteBuffer)] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for (ext, type) in types {
            for (name, text) in Templates.files(in: "static", extension: ext) {
                files["\(name).\(ext)"] = (type, ByteBuffer(string: text))
            }
        }
        return files
    }()

    static func register(on router: Router<AppRequestContext>) {
        router.get("static/{file}") { _, context -> Response in
            guard let file = files[try context.parameters.require("file")] else { throw HTTPError(.notFound) }
            var headers = PageKit.headers(contentType: file.contentType)
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.bytes))
        }
    }
}
