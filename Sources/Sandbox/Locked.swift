import Foundation

/// The simulators keep all state in memory behind one lock: requests are short and
/// state changes must be atomic across tables (an order and its stock allocation),
/// which a single critical section gives without an actor hop per table.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
