"""The menu: each role sees only its entries, folded into a few groups so it fits one line."""

import pytest

from kechuang.web.context_processors import group_items


def test_entries_fold_into_groups_in_order_and_a_lone_entry_stays_a_link():
    items = [
        ("/", "规划公开", "home"),
        ("/dashboard/", "指标监测", "dashboard"),
        ("/tasks/", "任务督办", "tasks"),
        ("/enterprises/", "企业库", "enterprises"),
    ]
    menu = group_items(items)
    assert [e.get("key") for e in menu] == ["home", None, "enterprises"]
    assert [k for _u, _l, k in menu[1]["children"]] == ["dashboard", "tasks"]
    assert str(menu[1]["label"]) == "规划监测"


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("staff_user", {"指标监测", "专家库", "项目管理"}, {"本企业", "审计日志"}),
        ("enterprise_user", {"本企业", "我的申报", "我的创新券"}, {"专家库", "项目管理"}),
        ("reporter", {"数据填报"}, {"专家库", "企业库", "我的申报"}),
    ],
)
def test_each_role_sees_its_own_menu(request, client_for, role, expected, absent):
    user = request.getfixturevalue(role)
    body = client_for(user).get("/", follow=True).content.decode()
    menu = body[body.index("<nav") : body.index("</nav>")]
    for label in expected:
        assert label in menu, label
    for label in absent:
        assert label not in menu, label


def test_visitors_see_only_public_entries(client, plan):
    body = client.get("/", follow=True).content.decode()
    menu = body[body.index("<nav") : body.index("</nav>")]
    assert "政策服务" in menu and "随机抽取公示" in menu and "抽查结果公示" in menu
    assert "专家库" not in menu and "指标监测" not in menu
