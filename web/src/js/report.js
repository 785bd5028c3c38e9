// The citizen report page (/report): no account; the browser's location and one of two buttons raise a located
// work order for the nearest officer (POST /citizen-reports). Chinese only: it is for passers-by in the city.

const $ = (id) => document.getElementById(id);
let position = null;

function show(id, text, kind) {
    const el = $(id);
    el.textContent = text;
    el.className = `${el.className.split(' ')[0]} ${kind || ''}`.trim();
}

function located(p) {
    position = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
    show('report-location', `已获取位置（精度约 ${Math.round(p.coords.accuracy)} 米）`);
    document.querySelectorAll('button.big').forEach((b) => { b.disabled = false; });
}

function unlocated() {
    show('report-location', '无法获取位置：请允许本页面使用定位，然后刷新。', 'error');
}

async function send(kind) {
    document.querySelectorAll('button.big').forEach((b) => { b.disabled = true; });
    const note = $('report-note').value.trim();
    try {
        const response = await fetch('/citizen-reports', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ kind, lon: position.lon, lat: position.lat, note: note || undefined }),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.status === 201) {
            show('report-result', `已收到，编号 ${answer.reference}。${answer.officerSent ? '已通知附近的工作人员前往。' : '工作人员会尽快处理。'}`, 'ok');
            return;
        }
        if (response.status === 429) {
            show('report-result', '提交太频繁，请稍后再试；紧急情况请拨打 110。', 'error');
        } else {
            show('report-result', `提交失败：${answer.detail || response.status}`, 'error');
        }
    } catch (e) {
        show('report-result', '网络错误，请稍后再试；紧急情况请拨打 110。', 'error');
    }
    document.querySelectorAll('button.big').forEach((b) => { b.disabled = false; });
}

document.querySelectorAll('button.big').forEach((b) => b.addEventListener('click', () => send(b.dataset.kind)));
if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(located, unlocated, { enableHighAccuracy: true, timeout: 15000 });
} else {
    unlocated();
}
