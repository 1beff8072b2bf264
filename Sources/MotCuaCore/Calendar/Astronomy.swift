import Foundation

/// The few ephemerides the lunisolar calendar needs: the instant of each new moon and the Sun's
/// apparent longitude. Formulas from J. Meeus, *Astronomical Algorithms* (2nd ed.), chapters 25,
/// 22 and 49; ΔT from the Espenak–Meeus polynomials. New moons come out within seconds of the
/// precise ephemeris and the Sun within about 0.01°, far inside a day boundary for all but a
/// handful of days in three centuries (the tests compare every month with a published table).
enum Astronomy {
    static let synodicMonth = 29.530588861

    /// Julian Ephemeris Day of the mean new moon of lunation `k` (k = 0 near 2000-01-06), corrected
    /// to the true new moon, then returned in Universal Time.
    static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t, t3 = t2 * t, t4 = t3 * t
        var jde = 2451550.09766 + synodicMonth * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4
        let e = 1 - 0.002516 * t - 0.0000074 * t2
        let m = radians(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3)
        let mp = radians(201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4)
        let f = radians(160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4)
        let omega = radians(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3)

        var c = -0.40720 * sin(mp)
        c += 0.17241 * e * sin(m)
        c += 0.01608 * sin(2 * mp)
        c += 0.01039 * sin(2 * f)
        c += 0.00739 * e * sin(mp - m)
        c -= 0.00514 * e * sin(mp + m)
        c += 0.00208 * e * e * sin(2 * m)
        c -= 0.00111 * sin(mp - 2 * f)
        c -= 0.00057 * sin(mp + 2 * f)
        c += 0.00056 * e * sin(2 * mp + m)
        c -= 0.00042 * sin(3 * mp)
        c += 0.00042 * e * sin(m + 2 * f)
        c += 0.00038 * e * sin(m - 2 * f)
        c -= 0.00024 * e * sin(2 * mp - m)
        c -= 0.00017 * sin(omega)
        c -= 0.00007 * sin(mp + 2 * m)
        c += 0.00004 * sin(2 * mp - 2 * f)
        c += 0.00004 * sin(3 * m)
        c += 0.00003 * sin(mp + m - 2 * f)
        c += 0.00003 * sin(2 * mp + 2 * f)
        c -= 0.00003 * sin(mp + m + 2 * f)
        c += 0.00003 * sin(mp - m + 2 * f)
        c -= 0.00002 * sin(mp - m - 2 * f)
        c -= 0.00002 * sin(3 * mp + m)
        c += 0.00002 * sin(4 * mp)
        jde += c

        // Planetary arguments (Meeus table 49.B), the same for every phase.
        let planetary: [(Double, Double, Double)] = [
            (299.77, 0.107408, 0.000325), (251.88, 0.016321, 0.000165), (251.83, 26.651886, 0.000164),
            (349.42, 36.412478, 0.000126), (84.66, 18.206239, 0.000110), (141.74, 53.303771, 0.000062),
            (207.14, 2.453732, 0.000060), (154.84, 7.306860, 0.000056), (34.52, 27.261239, 0.000047),
            (207.19, 0.121824, 0.000042), (291.34, 1.844379, 0.000040), (161.72, 24.198154, 0.000037),
            (239.56, 25.513099, 0.000035), (331.55, 3.592518, 0.000023),
        ]
        for (index, (base, rate, amplitude)) in planetary.enumerated() {
            var argument = base + rate * k
            if index == 0 { argument -= 0.009173 * t2 }
            jde += amplitude * sin(radians(argument))
        }
        return jde - deltaT(julianDay: jde) / 86_400
    }

    /// The Sun's apparent geocentric longitude in degrees [0, 360) at a Universal Time instant.
    static func sunLongitude(julianDayUT jd: Double) -> Double {
        let jde = jd + deltaT(julianDay: jd) / 86_400
        let t = (jde - 2451545.0) / 36525
        let l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
        let m = radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
        let center = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m)
            + (0.019993 - 0.000101 * t) * sin(2 * m)
            + 0.000289 * sin(3 * m)
        let trueLongitude = l0 + center
        // Nutation in longitude (Meeus ch. 22, terms above 0.5″) and the aberration constant.
        let omega = radians(125.04452 - 1934.136261 * t)
        let sunMean = radians(280.4665 + 36000.7698 * t)
        let moonMean = radians(218.3165 + 481267.8813 * t)
        let nutation = (-17.20 * sin(omega) - 1.32 * sin(2 * sunMean) - 0.23 * sin(2 * moonMean)
            + 0.21 * sin(2 * omega)) / 3600
        let apparent = trueLongitude + nutation - 20.4898 / 3600
        let reduced = apparent.truncatingRemainder(dividingBy: 360)
        return reduced < 0 ? reduced + 360 : reduced
    }

    /// ΔT = TT − UT in seconds (Espenak & Meeus, NASA eclipse site polynomials), for 1800–2300.
    static func deltaT(julianDay jd: Double) -> Double {
        let y = 2000 + (jd - 2451544.5) / 365.2425
        switch y {
        case ..<1860:
            let t = y - 1800
            return 13.72 - 0.332447 * t + 0.0068612 * pow(t, 2) + 0.0041116 * pow(t, 3)
                - 0.00037436 * pow(t, 4) + 0.0000121272 * pow(t, 5) - 0.0000001699 * pow(t, 6)
                + 0.000000000875 * pow(t, 7)
        case ..<1900:
            let t = y - 1860
            return 7.62 + 0.5737 * t - 0.251754 * pow(t, 2) + 0.01680668 * pow(t, 3)
                - 0.0004473624 * pow(t, 4) + pow(t, 5) / 233_174
        case ..<1920:
            let t = y - 1900
            return -2.79 + 1.494119 * t - 0.0598939 * pow(t, 2) + 0.0061966 * pow(t, 3) - 0.000197 * pow(t, 4)
        case ..<1941:
            let t = y - 1920
            return 21.20 + 0.84493 * t - 0.076100 * pow(t, 2) + 0.0020936 * pow(t, 3)
        case ..<1961:
            let t = y - 1950
            return 29.07 + 0.407 * t - pow(t, 2) / 233 + pow(t, 3) / 2547
        case ..<1986:
            let t = y - 1975
            return 45.45 + 1.067 * t - pow(t, 2) / 260 - pow(t, 3) / 718
        case ..<2005:
            let t = y - 2000
            return 63.86 + 0.3345 * t - 0.060374 * pow(t, 2) + 0.0017275 * pow(t, 3)
                + 0.000651814 * pow(t, 4) + 0.00002373599 * pow(t, 5)
        case ..<2050:
            let t = y - 2000
            return 62.92 + 0.32217 * t + 0.005589 * pow(t, 2)
        case ..<2150:
            let u = (y - 1820) / 100
            return -20 + 32 * u * u - 0.5628 * (2150 - y)
        default:
            let u = (y - 1820) / 100
            return -20 + 32 * u * u
        }
    }

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
