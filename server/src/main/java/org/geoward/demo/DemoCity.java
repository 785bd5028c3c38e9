package org.geoward.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The cast and places of the demo city, Fuling on the Yangtze. Coordinates are WGS 84 lon/lat in the frame of the
 * Natural Earth river lines shipped in {@code demo/yangtze_wu_fuling.geojson}: the old town lies south of the
 * Yangtze, on both sides of the Wu where it joins. Every subject and fence has a stable key ({@code demoKey}), so
 * that seeding is idempotent.
 */
final class DemoCity {
    private DemoCity() {}

    /** The marker in {@code subject.attributes} and {@code fence.properties} of everything the demo made. */
    static final String MARK = "fuling";

    /** A place: lon, lat. */
    record Pt(double lon, double lat) {
        /** The point {@code east} metres east and {@code north} metres north of this one. */
        Pt plus(double east, double north) {
            return new Pt(lon + east / (111_320 * Math.cos(Math.toRadians(lat))), lat + north / 111_320);
        }

        double metresTo(Pt o) {
            double dx = (o.lon - lon) * 111_320 * Math.cos(Math.toRadians(lat));
            double dy = (o.lat - lat) * 111_320;
            return Math.hypot(dx, dy);
        }

        /** The point {@code metres} along the way to {@code to}, or {@code to} when it is nearer. */
        Pt toward(Pt to, double metres) {
            double d = metresTo(to);
            if (d <= metres || d == 0) {
                return to;
            }
            double f = metres / d;
            return new Pt(lon + (to.lon - lon) * f, lat + (to.lat - lat) * f);
        }

        String wkt() {
            return "POINT(" + lon + " " + lat + ")";
        }
    }

    /** The elder at home whose kitchen gas alarm goes off in the demo (孙奶奶, who lives on her own). */
    static final String GAS_ALARM_WARD = "ward-17";

    /** What a ward does in the show; a CHILD is a ward of category MINOR. */
    enum Role {
        STAY,
        COMPANION,
        WANDER,
        RIVER,
        SILENT,
        SOS,
        CHILD
    }

    /** A SAFE zone: a circle (radius) or a rectangle (half sizes), optionally only at night. */
    record Safe(String key, String name, Pt centre, double radius, double halfEast, double halfNorth, boolean night) {
        String wkt() {
            if (radius > 0) {
                return centre.wkt();
            }
            Pt sw = centre.plus(-halfEast, -halfNorth);
            Pt ne = centre.plus(halfEast, halfNorth);
            return "POLYGON((" + sw.lon + " " + sw.lat + ", " + ne.lon + " " + sw.lat + ", " + ne.lon + " " + ne.lat
                    + ", " + sw.lon + " " + ne.lat + ", " + sw.lon + " " + sw.lat + "))";
        }
    }

    /** A ward, their guardian and where they live. */
    record Ward(String key, String name, String guardian, String phone, Pt home, String safeKey, Role role) {}

    /** An officer and the loop they patrol (a square of {@code half} metres around {@code centre}). */
    record Officer(String key, String name, String unit, String travel, Pt centre, double half, boolean human) {
        double kmh() {
            return switch (travel) {
                case "CAR" -> 30;
                case "BOAT" -> 20;
                default -> 5;
            };
        }

        List<Pt> loop() {
            if ("BOAT".equals(travel)) {
                // up and down the channel: the Yangtze runs west-north-west to east-south-east by the old town
                return List.of(centre.plus(-half * 0.971, half * 0.238), centre.plus(half * 0.971, -half * 0.238));
            }
            return List.of(
                    centre.plus(-half, -half),
                    centre.plus(half, -half),
                    centre.plus(half, half),
                    centre.plus(-half, half));
        }
    }

    static final Pt CARE_HOME = new Pt(107.3895, 29.7060);
    static final Pt CARE_HOME_2 = new Pt(107.4250, 29.7051);

    /** Where the two children live, 1 km south of the Yangtze (in grid 3). */
    static final Pt CHILDREN_HOME = new Pt(107.3840, 29.7195);

    /**
     * Where they play at the water: about 220 m from the Yangtze's centre line, inside the minors' water fence (300 m)
     * and outside the adult wards' bank corridor (150 m).
     */
    static final Pt CHILDREN_AT_WATER = new Pt(107.3840, 29.7294);

    static final List<Safe> SAFE = List.of(
            new Safe("safe-care-1", "涪陵区社会福利院 安全区", CARE_HOME, 300, 0, 0, false),
            new Safe("safe-care-2", "江东颐养中心 安全区", CARE_HOME_2, 0, 150, 120, false),
            new Safe("safe-li", "李家 安全区", new Pt(107.3800, 29.7150), 120, 0, 0, false),
            new Safe("safe-zhang", "张家 安全区", new Pt(107.3850, 29.7180), 120, 0, 0, false),
            new Safe("safe-wang", "王家 安全区", new Pt(107.4200, 29.6960), 120, 0, 0, false),
            new Safe("safe-zhao", "赵家 安全区", new Pt(107.4300, 29.7150), 120, 0, 0, false),
            new Safe("safe-liu", "刘家 安全区", new Pt(107.3768, 29.7086), 0, 80, 70, false),
            new Safe("safe-zhou-night", "周家 夜间安全区 (22:00-06:00)", new Pt(107.4150, 29.7000), 150, 0, 0, true),
            new Safe("safe-sun", "孙家 安全区", new Pt(107.3940, 29.7000), 120, 0, 0, false),
            new Safe("safe-wu", "吴家 安全区", new Pt(107.4350, 29.7000), 0, 90, 90, false));

    static final List<Ward> WARDS = wards();

    private static List<Ward> wards() {
        String[][] w = {
            {"ward-01", "王秀英", "王建国", "13800230101", "safe-care-1", "STAY"},
            {"ward-02", "李桂兰", "李志强", "13800230102", "safe-care-1", "STAY"},
            {"ward-03", "张玉珍", "张伟", "13800230103", "safe-care-1", "STAY"},
            {"ward-04", "刘淑华", "刘洋", "13800230104", "safe-care-1", "STAY"},
            {"ward-05", "陈德明", "陈静", "13800230105", "safe-care-1", "STAY"},
            {"ward-06", "杨桂芳", "杨勇", "13800230106", "safe-care-2", "STAY"},
            {"ward-07", "赵兰英", "赵磊", "13800230107", "safe-care-2", "STAY"},
            {"ward-08", "黄志华", "黄丽", "13800230108", "safe-care-2", "STAY"},
            {"ward-09", "周玉兰", "周杰", "13800230109", "safe-care-2", "STAY"},
            {"ward-10", "李大爷 (李长福)", "李明 (儿子)", "13800230110", "safe-li", "COMPANION"},
            {"ward-11", "张奶奶 (张桂英)", "张敏 (女儿)", "13800230111", "safe-zhang", "WANDER"},
            {"ward-12", "陈大爷 (陈国庆)", "陈红 (女儿)", "13800230112", null, "RIVER"},
            {"ward-13", "王爷爷 (王德顺)", "王芳 (孙女)", "13800230113", "safe-wang", "SILENT"},
            {"ward-14", "赵奶奶 (赵秀兰)", "赵军 (儿子)", "13800230114", "safe-zhao", "SOS"},
            {"ward-15", "刘爷爷 (刘永福)", "刘霞", "13800230115", "safe-liu", "STAY"},
            {"ward-16", "周小军 (夜间)", "周平", "13800230116", "safe-zhou-night", "STAY"},
            {"ward-17", "孙奶奶 (孙玉梅)", "孙涛", "13800230117", "safe-sun", "STAY"},
            {"ward-18", "吴爷爷 (吴明)", "吴倩", "13800230118", "safe-wu", "STAY"},
            {"ward-19", "郑奶奶 (郑秀珍)", "郑浩", "13800230119", "safe-care-1", "STAY"},
            {"ward-20", "何爷爷 (何建华)", "何燕", "13800230120", "safe-care-2", "STAY"},
            {"ward-21", "小明 (10岁, 未成年人)", "王丽 (妈妈)", "13800230121", null, "CHILD"},
            {"ward-22", "小刚 (11岁, 未成年人)", "陈强 (爸爸)", "13800230122", null, "CHILD"},
        };
        List<Ward> list = new ArrayList<>();
        int i = 0;
        int children = 0;
        for (String[] r : w) {
            Safe safe = r[4] == null ? null : safe(r[4]);
            Pt home;
            if (r[5].equals("CHILD")) {
                home = CHILDREN_HOME.plus(15.0 * children++, 0);
            } else if (safe == null) {
                home = new Pt(107.3960, 29.7230); // 陈家, 650 m south of the Yangtze
            } else {
                // spread the residents of one zone around its centre, well inside it
                double angle = (i++ * 137.5) % 360;
                double ring = safe.radius() > 0 ? Math.min(60, safe.radius() / 3) : 30;
                home = safe.centre()
                        .plus(ring * Math.cos(Math.toRadians(angle)), ring * Math.sin(Math.toRadians(angle)));
            }
            list.add(new Ward(r[0], r[1], r[2], r[3], home, r[4], Role.valueOf(r[5])));
        }
        return List.copyOf(list);
    }

    static Safe safe(String key) {
        return SAFE.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    static Ward ward(Role role) {
        return WARDS.stream().filter(w -> w.role() == role).findFirst().orElseThrow();
    }

    /** Ten police officers (the last one is played by the demo account) and five fisheries officers. */
    static final List<Officer> OFFICERS = List.of(
            new Officer("police-01", "民警 王磊 (巡逻车1)", "POLICE", "CAR", new Pt(107.3830, 29.7120), 500, false),
            new Officer("police-02", "民警 李强", "POLICE", "WALK", new Pt(107.3790, 29.7170), 250, false),
            new Officer("police-03", "民警 张勇", "POLICE", "WALK", new Pt(107.3880, 29.7030), 250, false),
            new Officer("police-04", "民警 刘军 (巡逻车2)", "POLICE", "CAR", new Pt(107.3950, 29.7120), 500, false),
            new Officer("police-05", "民警 陈刚", "POLICE", "CAR", new Pt(107.4200, 29.7010), 600, false),
            new Officer("police-06", "民警 杨帆", "POLICE", "WALK", new Pt(107.4280, 29.7120), 250, false),
            new Officer("police-07", "民警 赵鹏", "POLICE", "CAR", new Pt(107.4330, 29.7050), 500, false),
            new Officer("police-08", "民警 黄涛", "POLICE", "WALK", new Pt(107.4150, 29.6920), 250, false),
            new Officer("police-09", "民警 周斌", "POLICE", "CAR", new Pt(107.4000, 29.6950), 500, false),
            new Officer("police-10", "民警 吴昊 (演示账号)", "POLICE", "CAR", new Pt(107.4450, 29.6880), 500, true),
            new Officer("fish-01", "渔政 孙海 (巡逻艇)", "FISHERIES", "BOAT", new Pt(107.3870, 29.7308), 900, false),
            new Officer("fish-02", "渔政 钱江", "FISHERIES", "CAR", new Pt(107.3920, 29.7205), 300, false),
            new Officer("fish-03", "渔政 郑波", "FISHERIES", "CAR", new Pt(107.3550, 29.7310), 300, false),
            new Officer("fish-04", "渔政 冯涛", "FISHERIES", "WALK", new Pt(107.4200, 29.7200), 250, false),
            new Officer("fish-05", "渔政 何清 (演示账号)", "FISHERIES", "CAR", new Pt(107.4300, 29.7250), 300, true));

    /** The camera on the Yangtze's south bank that reports visitors, and the bank path. */
    static final Pt CAMERA = new Pt(107.3880, 29.7287);

    /** The anglers' phone numbers are this prefix and five random digits (their quiet periods go on reset). */
    static final String ANGLER_PHONE_PREFIX = "+86139000";

    /** The Yangtze's south bank below the old town: 75 m from the centre line, inside the ban zone. */
    static final Pt FISHING_SPOT = new Pt(107.3880, 29.7296);

    /** The Yangtze stretches that become ban zones: name, key, west and east longitude of the stretch. */
    static final Object[][] BAN_STRETCHES = {
        {"ban-west", "长江涪陵段禁渔区 (李渡-城西)", 107.00, 107.37},
        {"ban-city", "长江涪陵段禁渔区 (城区)", 107.37, 107.45},
        {"ban-east", "长江涪陵段禁渔区 (城东-珍溪)", 107.45, 107.80},
    };

    /**
     * The minors' water fence (children near water, 防溺水): the Yangtze below the old town, 300 m either side of the
     * centre line, for MINORs only. A real deployment gives it a summer schedule (June to September); the demo runs on
     * the wall clock in any month, so it is registered all year and its name says so.
     */
    static final Object[] CHILDREN_BANK = {
        "danger-children-yangtze",
        "长江滨江 未成年人防溺水危险区 (演示: 全年生效; 正式部署为6-9月)",
        "Chang Jiang",
        107.37,
        107.40,
        29.70,
        29.80,
        300.0,
        "MINOR"
    };

    /**
     * River-bank danger corridors: key, name, river, west, east, south, north (a box that cuts the line), buffer
     * metres, and the one category they apply to (null: every ward).
     */
    static final Object[][] DANGER_BANKS = {
        {"danger-yangtze", "长江城区河岸 危险区", "Chang Jiang", 107.33, 107.43, 29.70, 29.80, 150.0, null},
        {"danger-wu", "乌江河岸 危险区", "Wu", 107.37, 107.42, 29.65, 29.735, 150.0, null},
        CHILDREN_BANK,
    };

    /**
     * The old town's grid (网格化管理): key, name, west, south, east, north. Each cell's grid officers are the police
     * officers whose patrol centre lies in it (community police are among the 5+X).
     */
    static final Object[][] GRIDS = {
        {"grid-1", "涪陵城区 第1网格 (城西)", 107.370, 29.700, 107.385, 29.715},
        {"grid-2", "涪陵城区 第2网格 (老城)", 107.385, 29.700, 107.400, 29.715},
        {"grid-3", "涪陵城区 第3网格 (滨江)", 107.370, 29.715, 107.385, 29.730},
        {"grid-4", "涪陵城区 第4网格 (乌江口)", 107.385, 29.715, 107.400, 29.730},
        {"grid-5", "涪陵城区 第5网格 (城东)", 107.400, 29.690, 107.415, 29.715},
        {"grid-6", "涪陵城区 第6网格 (江东)", 107.415, 29.690, 107.440, 29.715},
    };
}
