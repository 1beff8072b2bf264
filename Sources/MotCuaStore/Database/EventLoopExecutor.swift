import Foundation
import NIOCore

/// Runs a task's jobs on one event loop, so that a body talking to a connection of that loop
/// resumes where the connection's answers arrive instead of on another thread.
final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    private init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var executors: [ObjectIdentifier: EventLoopExecutor] = [:]

    /// One executor per event loop (there are as many loops as cores), made on first use.
    static func of(_ eventLoop: any EventLoop) -> EventLoopExecutor {
        lock.withLock {
            if let found = executors[ObjectIdentifier(eventLoop)] { return found }
            let made = EventLoopExecutor(eventLoop)
            executors[ObjectIdentifier(eventLoop)] = made
            return made
        }
    }
}
