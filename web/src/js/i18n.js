// Every string the console shows, in zh-CN and English, and the formatting of times and durations.

const STRINGS = {
    'zh-CN': {
        appName: 'Geoward 地理围栏',
        login: '登录',
        username: '用户名',
        password: '密码',
        loginFailed: '用户名或密码错误',
        logout: '退出',
        language: '语言',
        settings: '设置',
        map: '地图',
        alertQueue: '警报队列',
        noAlerts: '暂无警报',
        alertDetail: '警报详情',
        timeline: '时间线',
        evidence: '证据照片',
        nearestOfficers: '最近的警员',
        noOfficers: '附近没有可用警员',
        assign: '派遣',
        acknowledge: '确认',
        resolve: '处理完毕',
        outcome: '处理结果',
        note: '备注',
        close: '关闭',
        detail: '详情',
        assignedOfficer: '派遣警员',
        subject: '对象',
        fence: '围栏',
        opened: '发生于',
        age: '已持续',
        dwell: '停留时间',
        status: '状态',
        distance: '距离',
        eta: '预计到达',
        stale: '位置过期',
        live: '实时',
        connecting: '实时通道待命',
        offline: '连接中断，正在重连…',
        myWards: '我的家人',
        lastSeen: '最后出现',
        never: '从未',
        battery: '电量',
        banZones: '禁渔区',
        myAssignments: '我的任务',
        fenceEditor: '围栏编辑',
        name: '名称',
        kind: '类型',
        dwellMinutes: '停留上限（分钟）',
        hysteresisMeters: '容差（米）',
        bufferMeters: '缓冲宽度（米）',
        radiusMeters: '半径（米）',
        save: '保存',
        saved: '已保存',
        importGeoJson: '导入 GeoJSON',
        exportGeoJson: '导出 GeoJSON',
        drawHint: '用地图左侧的工具绘制多边形、圆形或线（河岸走廊），然后填写属性并保存。',
        trackReplay: '轨迹回放',
        from: '从',
        to: '到',
        load: '加载',
        noTrack: '该时段没有轨迹',
        tileUrl: '底图瓦片地址（留空则离线）',
        tileCrs: '底图坐标系',
        apply: '应用',
        districtOutline: '涪陵区界',
        river: '河流',
        error: '出错了',
        'kind.SAFE': '安全区',
        'kind.DANGER': '危险区',
        'kind.BAN': '禁入区',
        'type.WANDER': '走失',
        'type.DANGER': '进入危险区',
        'type.LOITER': '逗留',
        'type.OFFLINE': '设备离线',
        'type.SOS': '紧急求助',
        'status.OPEN': '待处理',
        'status.ACKNOWLEDGED': '已确认',
        'status.DISPATCHED': '已派遣',
        'status.RESOLVED': '已解决',
        'severity.high': '高',
        'severity.medium': '中',
        'severity.low': '低',
        'role.ADMIN': '管理员',
        'role.DISPATCHER': '调度员',
        'role.OFFICER': '执法人员',
        'role.FAMILY': '家属',
        'outcome.FOUND': '已找到',
        'outcome.RETURNED': '已返回',
        'outcome.WARNED': '已劝离',
        'outcome.FINED': '已处罚',
        'outcome.FALSE_ALARM': '误报',
        'action.OPENED': '发出警报',
        'action.ACKNOWLEDGED': '已确认',
        'action.ASSIGNED': '派遣',
        'action.REASSIGNED': '改派',
        'action.UNASSIGNED': '超时未接，撤回',
        'action.ACCEPTED': '已接警',
        'action.ARRIVED': '已到场',
        'action.RESOLVED': '已解决',
        'unit.POLICE': '公安',
        'unit.FISHERIES': '渔政',
        'outcome.CLOSED': '已关闭',
        system: '系统',
        lastFix: '最后定位',
        recentTrail: '近期轨迹',
        wardsFromAlerts: '仅显示有警报记录的家人（服务器暂未开放家属的家人列表）。',
        noWards: '暂无家人信息',
        notices: '通知',
        backHome: '已回到安全区',
        safeZoneHidden: '安全区暂不可见',
        justNow: '刚刚',
        ago: '{0}前',
        seconds: '{0}秒',
        minutes: '{0}分钟',
        hours: '{0}小时',
        days: '{0}天',
        metres: '{0} 米',
        kilometres: '{0} 公里',
    },
    en: {
        appName: 'Geoward',
        login: 'Log in',
        username: 'Username',
        password: 'Password',
        loginFailed: 'Wrong username or password',
        logout: 'Log out',
        language: 'Language',
        settings: 'Settings',
        map: 'Map',
        alertQueue: 'Alert queue',
        noAlerts: 'No alerts',
        alertDetail: 'Alert detail',
        timeline: 'Timeline',
        evidence: 'Evidence photo',
        nearestOfficers: 'Nearest officers',
        noOfficers: 'No available officer nearby',
        assign: 'Assign',
        acknowledge: 'Acknowledge',
        resolve: 'Resolve',
        outcome: 'Outcome',
        note: 'Note',
        close: 'Close',
        detail: 'Detail',
        assignedOfficer: 'Assigned officer',
        subject: 'Subject',
        fence: 'Fence',
        opened: 'Opened',
        age: 'Age',
        dwell: 'Dwell',
        status: 'Status',
        distance: 'Distance',
        eta: 'ETA',
        stale: 'stale fix',
        live: 'Live',
        connecting: 'Live feed standing by',
        offline: 'Connection lost, reconnecting…',
        myWards: 'My wards',
        lastSeen: 'Last seen',
        never: 'never',
        battery: 'Battery',
        banZones: 'Ban zones',
        myAssignments: 'My assignments',
        fenceEditor: 'Fence editor',
        name: 'Name',
        kind: 'Kind',
        dwellMinutes: 'Dwell limit (minutes)',
        hysteresisMeters: 'Hysteresis (m)',
        bufferMeters: 'Buffer (m)',
        radiusMeters: 'Radius (m)',
        save: 'Save',
        saved: 'Saved',
        importGeoJson: 'Import GeoJSON',
        exportGeoJson: 'Export GeoJSON',
        drawHint: 'Draw a polygon, circle or line (river-bank corridor) with the tools on the map, set its properties, then save.',
        trackReplay: 'Track replay',
        from: 'From',
        to: 'To',
        load: 'Load',
        noTrack: 'No track in this period',
        tileUrl: 'Tile URL (empty for offline)',
        tileCrs: 'Tile coordinate system',
        apply: 'Apply',
        districtOutline: 'Fuling district',
        river: 'River',
        error: 'Something went wrong',
        'kind.SAFE': 'Safe zone',
        'kind.DANGER': 'Danger zone',
        'kind.BAN': 'Ban zone',
        'type.WANDER': 'Wandering',
        'type.DANGER': 'In danger zone',
        'type.LOITER': 'Loitering',
        'type.OFFLINE': 'Device offline',
        'type.SOS': 'SOS',
        'status.OPEN': 'Open',
        'status.ACKNOWLEDGED': 'Acknowledged',
        'status.DISPATCHED': 'Dispatched',
        'status.RESOLVED': 'Resolved',
        'severity.high': 'high',
        'severity.medium': 'medium',
        'severity.low': 'low',
        'role.ADMIN': 'Administrator',
        'role.DISPATCHER': 'Dispatcher',
        'role.OFFICER': 'Officer',
        'role.FAMILY': 'Family',
        'outcome.FOUND': 'Found',
        'outcome.RETURNED': 'Returned',
        'outcome.WARNED': 'Warned',
        'outcome.FINED': 'Fined',
        'outcome.FALSE_ALARM': 'False alarm',
        'action.OPENED': 'Alert raised',
        'action.ACKNOWLEDGED': 'Acknowledged',
        'action.ASSIGNED': 'Assigned',
        'action.REASSIGNED': 'Reassigned',
        'action.UNASSIGNED': 'Not accepted in time, withdrawn',
        'action.ACCEPTED': 'Accepted',
        'action.ARRIVED': 'Arrived',
        'action.RESOLVED': 'Resolved',
        'unit.POLICE': 'Police',
        'unit.FISHERIES': 'Fisheries',
        'outcome.CLOSED': 'Closed',
        system: 'system',
        lastFix: 'Last fix',
        recentTrail: 'Recent trail',
        wardsFromAlerts: 'Only wards with alerts are shown (the server does not yet list a family\'s wards).',
        noWards: 'No wards yet',
        notices: 'Notices',
        backHome: 'Back in the safe zone',
        safeZoneHidden: 'Safe zone not available',
        justNow: 'just now',
        ago: '{0} ago',
        seconds: '{0} s',
        minutes: '{0} min',
        hours: '{0} h',
        days: '{0} d',
        metres: '{0} m',
        kilometres: '{0} km',
    },
};

export const LANGUAGES = ['zh-CN', 'en'];
const LANG_KEY = 'geoward.lang';
const listeners = new Set();
let lang = initialLanguage();
let timeZone = 'Asia/Shanghai';

function initialLanguage() {
    const saved = localStorage.getItem(LANG_KEY);
    if (LANGUAGES.includes(saved)) return saved;
    const browser = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    return browser.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** The current language tag. */
export function language() {
    return lang;
}

/** Switches the language, remembers it, and tells every listener. */
export function setLanguage(next) {
    if (!LANGUAGES.includes(next) || next === lang) return;
    lang = next;
    localStorage.setItem(LANG_KEY, next);
    document.documentElement.lang = next;
    listeners.forEach((fn) => fn(next));
}

/** Calls fn after each language change; returns a function that stops it. */
export function onLanguageChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
}

/** Sets the time zone times are shown in (default Asia/Shanghai). */
export function setTimeZone(zone) {
    if (zone) timeZone = zone;
}

/** The string for key in the current language, with {0}, {1}… replaced by args. */
export function t(key, ...args) {
    const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
    return text.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

/** The string for prefix.value, or value itself when there is none (a server value this console does not know). */
export function label(prefix, value) {
    if (value == null) return '';
    const key = `${prefix}.${value}`;
    return STRINGS[lang][key] ?? STRINGS.en[key] ?? String(value);
}

/** Sets the text of every element with data-i18n (and aria-label/placeholder/title variants) under root. */
export function translate(root) {
    root.querySelectorAll('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n)));
    root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
    root.querySelectorAll('[data-i18n-title]').forEach((el) => (el.title = t(el.dataset.i18nTitle)));
}

/** An ISO time (or Date) as a local date and time in the configured zone. */
export function formatTime(value) {
    if (!value) return '—';
    return new Intl.DateTimeFormat(lang, {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
    }).format(new Date(value));
}

/** A duration in seconds, humanised to its two largest units ("1小时5分钟", "1 h 5 min"). */
export function humanizeDuration(totalSeconds) {
    const s = Math.max(0, Math.floor(totalSeconds));
    const parts = [];
    const units = [
        ['days', 86400],
        ['hours', 3600],
        ['minutes', 60],
        ['seconds', 1],
    ];
    let rest = s;
    for (const [key, size] of units) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0 || (key === 'seconds' && parts.length === 0)) parts.push(t(key, n));
        if (parts.length === 2) break;
    }
    return parts.join(lang === 'en' ? ' ' : '');
}

/** How long ago an ISO time was, humanised. */
export function ago(value, now = Date.now()) {
    const seconds = (now - new Date(value).getTime()) / 1000;
    return seconds < 10 ? t('justNow') : t('ago', humanizeDuration(seconds));
}

/** A distance in metres, as metres or kilometres. */
export function formatDistance(metres) {
    if (metres == null) return '—';
    return metres < 1000 ? t('metres', Math.round(metres)) : t('kilometres', (metres / 1000).toFixed(1));
}
