/// Amounts in đồng as Vietnamese write them: `1.250.000 đồng`.
public enum Money {
    public static func label(_ amountVnd: Int) -> String {
        var digits = String(amountVnd.magnitude), grouped = ""
        while digits.count > 3 {
            grouped = "." + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (amountVnd < 0 ? "-" : "") + digits + grouped + " đồng"
    }
}
