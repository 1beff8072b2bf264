import Foundation
import Testing
@testable import motcua

/// How the bench clients frame replies from bytes (the whole surge runs in .ci/smoke).
@Suite struct BenchFramingTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func framesAReplyByContentLengthOnlyOnceItIsWhole() throws {
        let reply = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length: 13\r\n\r\n{\"code\":\"X\"}\n"
        let frame = try #require(BenchFraming.frame(Self.bytes(reply)))
        #expect(frame.status == 201)
        #expect(Array(Self.bytes(reply)[frame.headEnd..<frame.length]) == Self.bytes("{\"code\":\"X\"}\n"))
        #expect(frame.length == reply.utf8.count)
        #expect(BenchFraming.frame(Array(Self.bytes(reply).dropLast())) == nil, "one byte short is not a reply yet")
        #expect(BenchFraming.frame(Self.bytes("HTTP/1.1 201 Created\r\nContent-Length: 13\r\n")) == nil, "nor is half a head")
    }

    @Test func leavesTheNextReplyInPlace() throws {
        let first = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}"
        let frame = try #require(BenchFraming.frame(Self.bytes(first + "HTTP/1.1 201 Created\r\n")))
        #expect(frame.status == 503 && frame.length == first.utf8.count)
        let head = Self.bytes(first)[..<frame.headEnd]
        #expect(BenchFraming.hasHeader(head, "retry-after"))
        #expect(!BenchFraming.hasHeader(head, "connection", value: "close"))
    }

    @Test func framesChunkedRepliesAndHeadersInAnyCase() throws {
        let reply = "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: chunked\r\nConnection: Close\r\n\r\n4\r\nabcd\r\n2;x=y\r\nef\r\n0\r\n\r\n"
        let frame = try #require(BenchFraming.frame(Self.bytes(reply)))
        #expect(frame.status == 200 && frame.length == reply.utf8.count)
        #expect(BenchFraming.hasHeader(Self.bytes(reply)[..<frame.headEnd], "connection", value: "close"))
        #expect(BenchFraming.body(Self.bytes(reply), headEnd: frame.headEnd, length: frame.length) == Self.bytes("abcdef"))
        #expect(BenchFraming.frame(Array(Self.bytes(reply).dropLast(2))) == nil)
    }

    @Test func findsTheBlankLineWhereverItIs() {
        #expect(BenchFraming.afterBlankLine(Self.bytes("\r\n\r\n")) == 4)
        #expect(BenchFraming.afterBlankLine(Self.bytes("HTTP/1.1 204 No Content\r\n\r\nrest")) == 27)
        #expect(BenchFraming.afterBlankLine(Self.bytes("HTTP/1.1 204 No Content\r\n\r")) == nil)
        #expect(BenchFraming.afterBlankLine(Self.bytes("\n\r\n\r\n")) == 5)
        #expect(BenchFraming.afterBlankLine([]) == nil)
    }

    /// The top-level code, not one nested before it, whatever the order of the keys.
    @Test func readsTheDossiersOwnCode() {
        let sorted = #"{"applicant":{"address":{"code":"00001"},"name":"Nguyễn Văn A"},"channel":"online","code":"000.00.01.H01-261205-0007","fees":[{"code":"F1"}]}"#
        #expect(BenchDesk.dossierCode(in: sorted) == "000.00.01.H01-261205-0007")
        let unsorted = #"{"code":"X-1","applicant":{"code":"nested"}}"#
        #expect(BenchDesk.dossierCode(in: unsorted) == "X-1")
        #expect(BenchDesk.dossierCode(in: #"{"title":"Không tìm thấy"}"#) == nil)
        #expect(BenchDesk.dossierCode(in: "not json") == nil)
    }
}
